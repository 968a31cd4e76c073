import { describe, expect, it } from "vitest";
import { parseCommand } from "../src/core/kernel/command.js";

describe("one command grammar for both platforms", () => {
  it.each([
    ["update Ran a workshop #safety", "update", "Ran a workshop #safety"],
    ["ti update Ran a workshop", "update", "Ran a workshop"],
    ["/ti update Ran a workshop", "update", "Ran a workshop"],
    ["TI UPDATE Shout", "update", "Shout"],
    ["  help  ", "help", ""],
    ["", "", ""],
    ["/ti", "", ""],
    ["ti", "", ""],
    ["tips for today", "tips", "for today"],
    ["update line one\nline two", "update", "line one\nline two"],
    ["update\u00a0with a non-breaking space", "update", "with a non-breaking space"],
  ])("%j → %s + %j", (typed, verb, text) => {
    expect(parseCommand(typed)).toEqual({ verb, text });
  });
});
