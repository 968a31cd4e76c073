import { describe, expect, it } from "vitest";
import { describeMoment, describeSendingHours, nextSendingTime, parseSendingHours, SendingHoursError } from "../src/core/kernel/sending-hours.js";

const london = "Europe/London";
const weekdays = parseSendingHours("Mon-Fri 09:00-17:00");

describe("sending hours", () => {
  it("parses day ranges, lists and always", () => {
    expect(parseSendingHours("always")).toEqual({ kind: "always" });
    expect(weekdays).toEqual({ kind: "window", days: new Set([1, 2, 3, 4, 5]), from: 540, to: 1020 });
    const listed = parseSendingHours("mon,wed,fri 10:00-16:30");
    expect(listed.kind === "window" && [...listed.days]).toEqual([1, 3, 5]);
    const wrapping = parseSendingHours("Sat-Mon 08:00-12:00");
    expect(wrapping.kind === "window" && [...wrapping.days].sort()).toEqual([1, 6, 7]);
  });

  it("refuses what isn't sending hours, saying why", () => {
    expect(() => parseSendingHours("weekdays")).toThrow(SendingHoursError);
    expect(() => parseSendingHours("Mon-Fri 17:00-09:00")).toThrow(/start before they end/);
    expect(() => parseSendingHours("Mon-Fry 09:00-17:00")).toThrow(/"fry".*is not a day/);
    expect(() => parseSendingHours("Mon-Fri 09:75-17:00")).toThrow(/doesn't exist/);
  });

  it("lets a message through inside the window and holds it outside", () => {
    const tuesdayNoon = new Date("2026-11-24T12:00:00Z");
    expect(nextSendingTime(weekdays, london, tuesdayNoon)).toEqual(tuesdayNoon);
    expect(nextSendingTime(weekdays, london, new Date("2026-11-24T06:30:00Z"))).toEqual(new Date("2026-11-24T09:00:00Z"));
    expect(nextSendingTime(weekdays, london, new Date("2026-11-24T17:00:00Z"))).toEqual(new Date("2026-11-25T09:00:00Z"));
    // Friday evening waits for Monday morning.
    expect(nextSendingTime(weekdays, london, new Date("2026-11-27T18:00:00Z"))).toEqual(new Date("2026-11-30T09:00:00Z"));
    expect(nextSendingTime(parseSendingHours("always"), london, new Date("2026-11-28T03:00:00Z"))).toEqual(new Date("2026-11-28T03:00:00Z"));
  });

  it("keeps 09:00 on the wall clock across the clock changes", () => {
    // Sunday 29 March 2026 the clocks go forward: Monday 09:00 is 08:00 UTC.
    expect(nextSendingTime(weekdays, london, new Date("2026-03-28T12:00:00Z"))).toEqual(new Date("2026-03-30T08:00:00Z"));
    // Sunday 25 October 2026 they go back: Monday 09:00 is 09:00 UTC again.
    expect(nextSendingTime(weekdays, london, new Date("2026-10-24T12:00:00Z"))).toEqual(new Date("2026-10-26T09:00:00Z"));
  });

  it("counts the window in the network's time zone", () => {
    // 08:30 UTC is 09:30 in Paris in winter: inside the window there, outside it in London.
    const at = new Date("2026-11-24T08:30:00Z");
    expect(nextSendingTime(weekdays, "Europe/Paris", at)).toEqual(at);
    expect(nextSendingTime(weekdays, london, at)).toEqual(new Date("2026-11-24T09:00:00Z"));
  });

  it("describes hours and moments in words", () => {
    expect(describeSendingHours(weekdays)).toBe("weekdays 09:00-17:00");
    expect(describeSendingHours(parseSendingHours("Mon-Sun 08:00-20:00"))).toBe("every day 08:00-20:00");
    const now = new Date("2026-11-27T18:00:00Z");
    expect(describeMoment(new Date("2026-11-30T09:00:00Z"), london, now)).toBe("Monday 30 November at 09:00");
    expect(describeMoment(new Date("2026-11-28T09:00:00Z"), london, now)).toBe("tomorrow at 09:00");
  });
});
