import type { VerbInfo } from "../verbs.js";

// Imports nothing at run time: src/core/verbs.ts reads this list while the handlers are still loading.
export const reportVerbs: readonly VerbInfo[] = [];
