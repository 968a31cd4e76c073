import { command, type Request } from "../kernel/context.js";
import { parsePeriod, type Period } from "../kernel/period.js";
import { buttons, formatted, heading, message, note, text, type Block, type Message } from "../kernel/view.js";
import { dashboardLink } from "./dashboard.js";
import { chartLinkMs, chartPath, networkFigures } from "./figures.js";
import { altText, sectionKeys, type InsightSection, type SectionKey } from "./section.js";

/** Words for a section that people may type. */
const sectionWords: Readonly<Record<string, SectionKey>> = {
  membership: "membership",
  members: "membership",
  people: "membership",
  work: "work",
  updates: "work",
  principles: "work",
  organisations: "organisations",
  organisation: "organisations",
  orgs: "organisations",
  reports: "organisations",
  pledges: "organisations",
  events: "events",
  event: "events",
  pulses: "pulses",
  pulse: "pulses",
  checkins: "pulses",
  training: "training",
  courses: "training",
  learning: "training",
  needs: "training",
  targets: "training",
  announcements: "announcements",
  broadcasts: "announcements",
};

const sectionButtonLabels: Readonly<Record<SectionKey, string>> = {
  membership: "Membership",
  work: "The work",
  organisations: "Organisations",
  events: "Events",
  pulses: "Pulses",
  training: "Training",
  announcements: "Announcements",
};

/**
 * `insights [part] [period]`: the network at a glance for a period (this quarter unless another is
 * typed), each part with its headline figures, a chart and every figure as text; one part in full when
 * it is named (`insights work last quarter`).
 */
export async function showInsights({ ctx, requester, interaction }: Request): Promise<Message> {
  const platform = requester.address.platform;
  const [first = "", ...rest] = interaction.text.trim().split(/\s+/);
  const only = sectionWords[first.toLowerCase()];
  const typedPeriod = only ? rest.join(" ") : interaction.text.trim();
  const parsed = parsePeriod(typedPeriod, ctx.timeZone, ctx.now());
  if ("problem" in parsed) {
    return message(parsed.problem, text(parsed.problem), note(`You typed: ${command(platform, `insights ${interaction.text.trim()}`)}`));
  }
  const { period } = parsed;
  const figures = await networkFigures(ctx, period, only ? [only] : sectionKeys);
  const blocks: Block[] = [heading(only ? `${figures[0]!.title}: ${period.label}` : `${ctx.networkName} at a glance: ${period.label}`)];
  for (const section of figures) blocks.push(...sectionBlocks(ctx, period, section, only ? section.charts.length : 1, !only));
  const dashboard = dashboardLink(ctx, typedPeriod);
  if (dashboard) {
    blocks.push(
      formatted(`[Open the dashboard](${dashboard}) to filter these figures by organisation, sector, locality or principle, and download them as CSV.`),
      note("The dashboard link is just for you: it works for 8 hours, and anyone who has it can see these figures, so please don't forward it."),
    );
  }
  blocks.push(
    buttons(
      ...sectionKeys
        .filter((key) => key !== only)
        .map((key) => ({ label: sectionButtonLabels[key], verb: "insights", text: `${key} ${typedPeriod}`.trim() })),
    ),
    note(`Another period: ${command(platform, "insights last quarter")}, ${command(platform, "insights since 01/09/2026")}. One part in full: ${command(platform, "insights work")}. A board pack (PDF) and the figures as a workbook (XLSX): ${command(platform, "insights export")}.`),
  );
  return message(`${only ? figures[0]!.title : ctx.networkName}: ${period.label}`, ...blocks);
}

function sectionBlocks(ctx: Request["ctx"], period: Period, section: InsightSection, charts: number, withHeading: boolean): Block[] {
  const blocks: Block[] = [];
  if (withHeading) blocks.push(heading(section.title));
  blocks.push({ type: "fields", fields: section.headline });
  for (const { name, chart } of section.charts.slice(0, charts)) {
    // Slack's and Microsoft's servers fetch the image themselves: a link only this machine can open would break the message.
    const imageUrl = ctx.links?.reachableFromOutside ? ctx.links.sign(chartPath(ctx, period, section.key, name), new Date(ctx.now().getTime() + chartLinkMs)) : undefined;
    blocks.push({ type: "chart", chart, alt: altText(chart), ...(imageUrl ? { imageUrl } : {}) });
  }
  if (section.lines.length > 0) blocks.push({ type: "list", items: section.lines });
  if (section.note) blocks.push(note(section.note));
  return blocks;
}
