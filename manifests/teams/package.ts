/**
 * Builds the Teams app package: `npm run teams:package` fills `manifest.template.json` from the
 * environment (and `.env`, if there is one), checks it, and writes
 * `manifests/teams/build/ti-champions.zip` with manifest.json, color.png and outline.png at its root.
 * Upload that zip in Teams (Apps → Manage your apps → Upload an app) or in the Teams admin centre.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AjvDraft04, { type ErrorObject } from "ajv-draft-04";
import { strToU8, zipSync } from "fflate";
import { z } from "zod";

const here = path.dirname(fileURLToPath(import.meta.url));
export const templatePath = path.join(here, "manifest.template.json");
export const iconNames = ["color.png", "outline.png"] as const;
export const defaultPackagePath = path.join(here, "build", "ti-champions.zip");
/** Microsoft's published schema for the template's manifestVersion, shipped in the repo (see schema/README.md). */
export const schemaPath = path.join(here, "schema", "MicrosoftTeams.v1.30.schema.json");

export class TeamsPackageError extends Error {
  override name = "TeamsPackageError";
}

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "should be a GUID, like 00000000-0000-0000-0000-000000000000");
/** Teams takes MAJOR.MINOR.PATCH and nothing more (no pre-release tags). */
const version = z.string().regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, "should look like 1.0.0 (three numbers, nothing else)");
const httpsUrl = z.url({ protocol: /^https$/, error: "should be a full https:// address" });
const hostName = z
  .string()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/,
    "should be a host name on its own, like bot.example.org: no https://, path or port",
  );

const required = (what: string) => z.string({ error: `is required: ${what}` }).trim().min(1, `is required: ${what}`);
const optional = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

/** The environment variables the template's `{{NAME}}` placeholders are filled from. */
const envSchema = z.object({
  MICROSOFT_APP_ID: required("the bot's Microsoft App ID (a GUID) from its Azure Bot resource").pipe(guid),
  TEAMS_APP_ID: optional.pipe(guid.optional()),
  TI_PUBLIC_HOST: required("the public host name the bot answers on, e.g. bot.example.org").pipe(hostName),
  TI_APP_VERSION: optional.pipe(version.optional()),
  TI_DEVELOPER_NAME: optional.pipe(z.string().max(32, "should be 32 characters or fewer").optional()),
  TI_WEBSITE_URL: optional.pipe(httpsUrl.optional()),
  TI_PRIVACY_URL: optional.pipe(httpsUrl.optional()),
  TI_TERMS_URL: optional.pipe(httpsUrl.optional()),
});

const scope = z.enum(["personal", "team", "groupChat"]);

/** The parts of the Teams manifest schema this app relies on, with Teams' own limits. */
export const teamsManifestSchema = z.looseObject({
  manifestVersion: z.string().regex(/^1\.\d+$/),
  version,
  id: guid,
  developer: z.looseObject({
    name: z.string().min(1).max(32),
    websiteUrl: httpsUrl,
    privacyUrl: httpsUrl,
    termsOfUseUrl: httpsUrl,
  }),
  name: z.looseObject({ short: z.string().min(1).max(30), full: z.string().max(100).optional() }),
  description: z.looseObject({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.looseObject({ color: z.literal("color.png"), outline: z.literal("outline.png") }),
  accentColor: z.string().regex(/^#[0-9a-f]{6}$/i),
  bots: z
    .array(
      z.looseObject({
        botId: guid,
        scopes: z.array(scope).min(1),
        commandLists: z
          .array(
            z.looseObject({
              scopes: z.array(scope).min(1),
              commands: z.array(z.looseObject({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) })).max(10),
            }),
          )
          .max(3),
      }),
    )
    .length(1),
  validDomains: z.array(hostName).min(1),
});

export type TeamsManifest = z.infer<typeof teamsManifestSchema>;

export interface FilledManifest {
  manifest: TeamsManifest;
  /** Things worth fixing before publishing, that don't stop a test install. */
  warnings: string[];
}

function problems(error: z.ZodError, heading: string): TeamsPackageError {
  const lines = error.issues.map((issue) => `  ${issue.path.join(".") || "manifest"}: ${issue.message}`);
  return new TeamsPackageError(`${heading}\n${lines.join("\n")}`);
}

/**
 * Fills every `{{NAME}}` in the template from `env` and checks the result. Pure: no files, no
 * process.env. `defaultVersion` is used when TI_APP_VERSION is not set (the CLI passes package.json's).
 */
export function fillTeamsManifest(template: string, env: Record<string, string | undefined>, defaultVersion: string): FilledManifest {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw problems(parsed.error, "The Teams app package can't be built yet. Please check these settings:");
  const settings = parsed.data;
  const host = settings.TI_PUBLIC_HOST;
  const warnings: string[] = [];
  const orDefault = (name: "TI_WEBSITE_URL" | "TI_PRIVACY_URL" | "TI_TERMS_URL", fallback: string, what: string) => {
    if (settings[name]) return settings[name];
    warnings.push(`${name} is not set, so the manifest uses ${fallback}. Set it to your ${what} before you publish the app.`);
    return fallback;
  };
  const values: Record<string, string> = {
    MICROSOFT_APP_ID: settings.MICROSOFT_APP_ID,
    TEAMS_APP_ID: settings.TEAMS_APP_ID ?? settings.MICROSOFT_APP_ID,
    TI_PUBLIC_HOST: host,
    TI_APP_VERSION: settings.TI_APP_VERSION ?? defaultVersion,
    TI_DEVELOPER_NAME: settings.TI_DEVELOPER_NAME ?? "TI Champions",
    TI_WEBSITE_URL: orDefault("TI_WEBSITE_URL", `https://${host}/`, "organisation's website"),
    TI_PRIVACY_URL: orDefault("TI_PRIVACY_URL", `https://${host}/privacy`, "privacy notice"),
    TI_TERMS_URL: orDefault("TI_TERMS_URL", `https://${host}/terms`, "terms of use"),
  };

  const unknown = new Set<string>();
  const fill = (node: unknown): unknown => {
    if (typeof node === "string") {
      return node.replace(/\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (placeholder, name: string) => {
        const value = values[name];
        if (value === undefined) unknown.add(placeholder);
        return value ?? placeholder;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    return node;
  };
  const filled = fill(JSON.parse(template));
  if (unknown.size > 0) throw new TeamsPackageError(`The Teams manifest template has placeholders nobody fills: ${[...unknown].join(", ")}`);

  const checked = teamsManifestSchema.safeParse(filled);
  if (!checked.success) throw problems(checked.error, "The filled-in Teams manifest doesn't pass Teams' rules:");
  const schemaProblems = againstPublishedSchema(filled);
  if (schemaProblems.length > 0) throw new TeamsPackageError(`The filled-in Teams manifest doesn't match Microsoft's schema (v1.30):\n${schemaProblems.join("\n")}`);
  // The checked copy lists unknown keys last; keep the template's order ($schema first) instead.
  return { manifest: filled as TeamsManifest, warnings };
}

let publishedSchema: ((manifest: unknown) => string[]) | undefined;

/**
 * The manifest checked against Microsoft's published JSON schema (draft-04, hence `ajv-draft-04`), every
 * problem at once. Formats (uri, email) are left to the checks above, which say what to change.
 */
export function againstPublishedSchema(manifest: unknown): string[] {
  if (!publishedSchema) {
    // A CommonJS module: its class is both the module and its `default`.
    const validate = new AjvDraft04.default({ allErrors: true, strict: false, validateFormats: false }).compile(JSON.parse(readFileSync(schemaPath, "utf8")));
    publishedSchema = (candidate) =>
      validate(candidate) ? [] : (validate.errors ?? []).map((error: ErrorObject) => `  ${error.instancePath.slice(1).replace(/\//g, ".") || "manifest"}: ${error.message}${error.params && "additionalProperty" in error.params ? ` (${String(error.params.additionalProperty)})` : ""}`);
  }
  return publishedSchema(manifest);
}

/** Zips manifest.json and the two icons, all at the root, as Teams expects. */
export function zipTeamsPackage(manifest: TeamsManifest, iconsDir: string = here): Uint8Array {
  const files: Record<string, Uint8Array> = { "manifest.json": strToU8(`${JSON.stringify(manifest, null, 2)}\n`) };
  for (const name of iconNames) files[name] = readFileSync(path.join(iconsDir, name));
  return zipSync(files, { level: 9 });
}

/** Reads the template, fills it from `env` and writes the zip to `outFile`. */
export function buildTeamsPackage(env: Record<string, string | undefined>, outFile: string = defaultPackagePath): FilledManifest & { outFile: string } {
  const packageJson = JSON.parse(readFileSync(path.join(here, "..", "..", "package.json"), "utf8")) as { version: string };
  const filled = fillTeamsManifest(readFileSync(templatePath, "utf8"), env, packageJson.version);
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, zipTeamsPackage(filled.manifest));
  return { ...filled, outFile };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Settings in .env are read if the file exists; variables already in the environment win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  try {
    const { manifest, warnings, outFile } = buildTeamsPackage(process.env);
    for (const warning of warnings) console.warn(`Note: ${warning}`);
    console.log(`Wrote ${path.relative(process.cwd(), outFile)} (app id ${manifest.id}, version ${manifest.version}).`);
    console.log("Upload it in Teams: Apps → Manage your apps → Upload an app → Upload a custom app.");
  } catch (error) {
    if (!(error instanceof TeamsPackageError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
