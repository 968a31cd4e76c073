// `node dist/make-template.js` (npm install runs it after the build): the embedded database's template.
import { templateFile, writeTemplate } from "./pglite-template.js";

const started = performance.now();
await writeTemplate();
console.error(`Made ${templateFile} in ${Math.round(performance.now() - started)} ms`);
// PGlite leaves timers behind once closed; nothing else is running.
process.exit(0);
