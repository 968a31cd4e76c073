import { createHash } from "node:crypto";
import { html, trusted, type Html } from "../dashboard/html.js";

// Text at least 7:1 on its background; focus is a thick outline on every link.
const styles = `
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f1f1f;background:#f4f5f7;line-height:1.5}
body{margin:0}
main{max-width:40rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #c9ced6;border-radius:.5rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
a{color:#0b4f8a;text-underline-offset:.15em}
:focus-visible{outline:3px solid #1f1f1f;outline-offset:2px;box-shadow:0 0 0 6px #ffdd00}
.add{display:inline-block;margin:1rem 0;padding:.75rem 1.5rem;border-radius:.25rem;background:#4a154b;color:#fff;font-weight:700;text-decoration:none}
.add:hover{background:#2f0d30;color:#fff}
.note{color:#4d4d4d}
`;
const stylesHash = createHash("sha256").update(styles).digest("base64");

/** What every install page is sent with: nothing loads from elsewhere, and no other site may frame it. */
export const pageHeaders: Readonly<Record<string, string>> = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": `default-src 'none'; style-src 'sha256-${stylesHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
};

function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${trusted(styles)}</style></head>
<body><main>${body}</main></body></html>`.text;
}

/** `GET /slack/install`: what the bot does and keeps, and the Add to Slack button. */
export function installPage({ networkName, installUrl }: { networkName: string; installUrl: string }): string {
  return page(
    `Add TI Champions to Slack`,
    html`<h1>Add TI Champions to your Slack workspace</h1>
<p>TI Champions connects your organisation to ${networkName}. People in your workspace can join the network,
share what they have done to put trauma-informed practice to work, and hear from the network's coordinators.</p>
<h2>What it does</h2>
<ul>
<li>It answers <code>/ti</code>: type <code>/ti help</code> to see everything it can do.</li>
<li>It sends people direct messages they have chosen to get: announcements, event invites and gentle reminders, only within the network's sending hours.</li>
<li>It does not read your channels or your direct messages.</li>
</ul>
<h2>What it keeps</h2>
<ul>
<li>About your workspace: its name and id, who installed the app, and the app's access token, which is stored encrypted.</li>
<li>About people: only what they choose to share when they join. Anyone can see what is held about them with <code>/ti mydata</code>, and leave with <code>/ti leave</code>.</li>
</ul>
<p>If your workspace is new to the network, a coordinator is asked to welcome it in before people there can join.</p>
<p><a class="add" href="${installUrl}">Add to Slack</a></p>
<p class="note">This button works in this browser for the next 10 minutes. You can remove the app at any time from your workspace's app settings; the bot then stops messaging everyone there.</p>`,
  );
}

/** The install finished: the app is in the workspace. */
export function installedPage({ networkName, workspaceName, openUrl }: { networkName: string; workspaceName?: string; openUrl?: string }): string {
  return page(
    "TI Champions is installed",
    html`<h1>TI Champions is now in ${workspaceName ?? "your workspace"}</h1>
<p>Thank you. Your workspace is connected to ${networkName}.</p>
<p>People there can type <code>/ti help</code> in Slack to see what they can do, and <code>/ti join</code> to join the network.
If the workspace is new to the network, a coordinator has been asked to welcome it in, and people can join as soon as they have.</p>
${openUrl ? html`<p><a href="${openUrl}">Open Slack</a></p>` : ""}`,
  );
}

/** The person chose not to install, or Slack said no. */
export function cancelledPage(): string {
  return page(
    "Nothing was installed",
    html`<h1>Nothing was installed</h1>
<p>That's fine: TI Champions has not been added to your workspace, and nothing about it has been kept.</p>
<p>If you change your mind, you can <a href="/slack/install">start again</a> at any time.</p>`,
  );
}

/** The redirect's `state` is missing, altered, expired or already used. */
export function stateProblemPage(): string {
  return page(
    "This install link can't be used",
    html`<h1>This install link can't be used</h1>
<p>It may have expired (each one works for 10 minutes), have been used already, or have been opened in a different browser from the one that started the install.
Nothing has been installed.</p>
<p>Please <a href="/slack/install">start again</a> from the install page, in this browser.</p>`,
  );
}

/** Slack or the bot could not finish the install. */
export function installFailedPage(): string {
  return page(
    "The install didn't finish",
    html`<h1>Sorry, the install didn't finish</h1>
<p>Something went wrong while connecting your workspace. It isn't anything you did.</p>
<p>Please <a href="/slack/install">try again</a> in a few minutes. If it keeps happening, let the network's coordinator know.</p>`,
  );
}
