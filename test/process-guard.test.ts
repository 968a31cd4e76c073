// The process-level guard, in a process of its own: failures while serving a request are logged with
// the request's id and the process carries on; an exception outside any request stops it.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const script = `
import { guardProcess } from "./src/process-guard.ts";
import { requestContext } from "./src/http/request-context.ts";
import { createLogger } from "./src/log.ts";
guardProcess(createLogger("info"));
requestContext.run({ requestId: "request-1" }, () => {
  Promise.reject(new Error("a rejection nobody awaited"));
  setTimeout(() => { throw new Error("a throw in a request's timer"); }, 10);
});
setTimeout(() => {
  console.log(JSON.stringify({ msg: "still running" }));
  setTimeout(() => { throw new Error("a throw outside any request"); }, 10);
}, 200);
setTimeout(() => console.log(JSON.stringify({ msg: "should not be reached" })), 2000);
`;

describe("the process guard", () => {
  it("carries on after a request's failures, logging its id, and stops on a failure outside any request", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: process.cwd(), encoding: "utf8", timeout: 20_000 });
    const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { msg: string; requestId?: string; err?: { message: string } });
    expect(lines.map((line) => [line.msg, line.requestId, line.err?.message])).toEqual([
      ["a promise failed with nothing waiting for it; carrying on", "request-1", "a rejection nobody awaited"],
      ["a request failed outside its handler; carrying on", "request-1", "a throw in a request's timer"],
      ["still running", undefined, undefined],
      ["an unexpected failure outside any request; stopping", undefined, "a throw outside any request"],
    ]);
    expect(run.status).toBe(1);
  });
});
