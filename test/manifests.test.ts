import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
// `yaml` comes with @microsoft/teams-ai; it is only needed here, to read the Slack manifest.
import { parse as parseYaml } from "yaml";
import { againstPublishedSchema, buildTeamsPackage, fillTeamsManifest, schemaPath, TeamsPackageError, templatePath } from "../manifests/teams/package.js";
import { features } from "../src/core/features.js";
import { catalogue } from "../src/core/kernel/catalogue.js";

const { verbs: verbCatalogue } = catalogue(features);

const root = path.resolve(import.meta.dirname, "..");
const appId = "6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b";
const env = { MICROSOFT_APP_ID: appId, TI_PUBLIC_HOST: "bot.example.org" };
const template = readFileSync(templatePath, "utf8");

interface SlackManifest {
  display_information: { name: string; description: string; long_description?: string; background_color: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{ command: string; url: string; usage_hint: string; should_escape: boolean; description: string }>;
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

/** Width and height from a PNG's IHDR chunk, which always comes first. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(png);
  expect(view.subarray(1, 4).toString("latin1")).toBe("PNG");
  expect(view.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

describe("Slack manifest", () => {
  const slack = parseYaml(readFileSync(path.join(root, "manifests/slack/manifest.yaml"), "utf8")) as SlackManifest;

  it("declares /ti with escaped mentions, at the events endpoint", () => {
    expect(slack.features.slash_commands).toHaveLength(1);
    const [ti] = slack.features.slash_commands;
    expect(ti).toMatchObject({ command: "/ti", url: "https://YOUR-HOST/slack/events", should_escape: true });
    // The hint names every verb a member can use, by its first word (`checkin` for `checkin history`).
    const firstWords = new Set(verbCatalogue.filter((entry) => entry.who === "anyone" && !entry.hidden).map((entry) => entry.verb.split(" ")[0]!));
    const hinted = new Set((ti?.usage_hint ?? "").replace(/[[\]]/g, "").split("|").map((part) => part.trim().split(" ")[0]!));
    expect([...firstWords].filter((word) => !hinted.has(word))).toEqual([]);
  });

  it("asks for only the scopes the bot uses", () => {
    expect([...slack.oauth_config.scopes.bot].sort()).toEqual(["chat:write", "commands", "im:history", "im:write"]);
    expect(slack.oauth_config.scopes.user).toBeUndefined();
  });

  it("has a Home tab, lets members write to the app, and sends interactivity and events to /slack/events", () => {
    expect(slack.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false });
    expect(slack.features.bot_user).toEqual({ display_name: "ti-champions", always_online: false });
    expect(slack.settings.interactivity).toEqual({ is_enabled: true, request_url: "https://YOUR-HOST/slack/events" });
    expect(slack.settings.event_subscriptions.request_url).toBe("https://YOUR-HOST/slack/events");
    expect([...slack.settings.event_subscriptions.bot_events].sort()).toEqual(["app_home_opened", "app_uninstalled", "message.im", "tokens_revoked"]);
    expect(slack.settings).toMatchObject({ socket_mode_enabled: false, org_deploy_enabled: false, token_rotation_enabled: false });
  });

  it("stays within Slack's length limits", () => {
    expect(slack.display_information.name).toBe("TI Champions");
    expect(slack.display_information.description.length).toBeLessThanOrEqual(140);
    const long = slack.display_information.long_description ?? "";
    expect(long.length).toBeGreaterThanOrEqual(175);
    expect(long.length).toBeLessThanOrEqual(4000);
    expect(slack.display_information.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  });
});

describe("Teams manifest", () => {
  it("is filled from the environment, with the bot's app id, the personal commands and those for a channel", () => {
    const { manifest } = fillTeamsManifest(template, env, "0.1.0");
    expect(JSON.stringify(manifest)).not.toContain("{{");
    expect(manifest.id).toBe(appId);
    expect(manifest.version).toBe("0.1.0");
    expect(manifest.validDomains).toEqual(["bot.example.org"]);
    const [bot] = manifest.bots;
    expect(bot?.botId).toBe(appId);
    expect(bot?.scopes).toEqual(["personal", "team", "groupChat"]);
    expect(bot).toMatchObject({ supportsFiles: false, isNotificationOnly: false });
    expect(bot?.commandLists).toHaveLength(2);
    const [personal, channel] = bot?.commandLists ?? [];
    expect(personal?.scopes).toEqual(["personal"]);
    expect(personal?.commands.map((command) => command.title)).toEqual(["home", "help", "join", "update", "updates", "me", "events", "report", "pulse", "checkin"]);
    // Each command is a verb the bot knows, and in a channel one it answers there.
    for (const command of personal?.commands ?? []) expect(verbCatalogue.map((entry) => entry.verb)).toContain(command.title);
    expect(channel?.scopes).toEqual(["team", "groupChat"]);
    expect(channel?.commands.map((command) => command.title)).toEqual(["help", "updates channel"]);
    const answeredInChannels = verbCatalogue.filter((entry) => entry.inShared).map((entry) => entry.verb);
    expect(channel?.commands.filter((command) => command.title !== "help").every((command) => answeredInChannels.includes(command.title))).toBe(true);
  });

  it("uses TEAMS_APP_ID for the app id when it is set, and takes TI_APP_VERSION", () => {
    const teamsAppId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    const { manifest } = fillTeamsManifest(template, { ...env, TEAMS_APP_ID: teamsAppId, TI_APP_VERSION: "2.3.4" }, "0.1.0");
    expect(manifest.id).toBe(teamsAppId);
    expect(manifest.bots[0]?.botId).toBe(appId);
    expect(manifest.version).toBe("2.3.4");
  });

  it("warns when the developer links fall back to the bot's host, and not when they are set", () => {
    expect(fillTeamsManifest(template, env, "0.1.0").warnings).toHaveLength(3);
    const links = { TI_WEBSITE_URL: "https://example.org", TI_PRIVACY_URL: "https://example.org/privacy", TI_TERMS_URL: "https://example.org/terms" };
    const { manifest, warnings } = fillTeamsManifest(template, { ...env, ...links }, "0.1.0");
    expect(warnings).toEqual([]);
    expect(manifest.developer.privacyUrl).toBe("https://example.org/privacy");
  });

  it("names what is missing or malformed", () => {
    expect(() => fillTeamsManifest(template, { TI_PUBLIC_HOST: "bot.example.org" }, "0.1.0")).toThrow(/MICROSOFT_APP_ID: is required/);
    expect(() => fillTeamsManifest(template, { ...env, MICROSOFT_APP_ID: "not-a-guid" }, "0.1.0")).toThrow(/MICROSOFT_APP_ID: should be a GUID/);
    expect(() => fillTeamsManifest(template, { ...env, TI_PUBLIC_HOST: "https://bot.example.org" }, "0.1.0")).toThrow(/TI_PUBLIC_HOST/);
    expect(() => fillTeamsManifest(template, { MICROSOFT_APP_ID: appId }, "0.1.0")).toThrow(TeamsPackageError);
    expect(() => fillTeamsManifest(template, { ...env, TI_APP_VERSION: "1.0.0-beta" }, "0.1.0")).toThrow(/TI_APP_VERSION/);
  });

  it("refuses a template with a placeholder nothing fills", () => {
    const broken = template.replace('"{{TI_DEVELOPER_NAME}}"', '"{{NOBODY_SETS_THIS}}"');
    expect(() => fillTeamsManifest(broken, env, "0.1.0")).toThrow(/NOBODY_SETS_THIS/);
  });

  it("passes Microsoft's published schema for its manifestVersion, shipped in the repo, and is refused when it doesn't", () => {
    const { manifest } = fillTeamsManifest(template, env, "0.1.0");
    expect(manifest.$schema).toBe("https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json");
    expect(path.basename(schemaPath)).toBe("MicrosoftTeams.v1.30.schema.json");
    expect(againstPublishedSchema(manifest)).toEqual([]);
    expect(againstPublishedSchema({ ...manifest, botz: [] }).join("\n")).toMatch(/must NOT have additional properties \(botz\)/);
    const misspelt = template.replace('"validDomains"', '"validDomain": [], "validDomains"');
    expect(misspelt).not.toBe(template);
    expect(() => fillTeamsManifest(misspelt, env, "0.1.0")).toThrow(/Microsoft's schema \(v1\.30\)[\s\S]*manifest: must NOT have additional properties \(validDomain\)/);
  });

  describe("package", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ti-teams-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("holds exactly manifest.json and the two icons, at the root, at Teams' sizes", () => {
      const { outFile } = buildTeamsPackage(env, path.join(dir, "ti-champions.zip"));
      const files = unzipSync(readFileSync(outFile));
      expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
      const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as { id: string; $schema: string };
      expect(manifest.id).toBe(appId);
      expect(manifest.$schema).toMatch(/\/teams\/v1\.\d+\/MicrosoftTeams\.schema\.json$/);
      expect(pngSize(files["color.png"]!)).toEqual({ width: 192, height: 192 });
      expect(pngSize(files["outline.png"]!)).toEqual({ width: 32, height: 32 });
    });
  });
});
