import { describe, expect, it } from "vitest";
import { DAY_MS, everyDay, refundRate, salesWindow } from "./sales";

describe("salesWindow", () => {
  it("covers whole UTC days ending with today's", () => {
    const now = Date.UTC(2026, 2, 10, 15, 30);
    const w = salesWindow(now, 30);
    expect(new Date(w.to).toISOString()).toBe("2026-03-11T00:00:00.000Z");
    expect(new Date(w.from).toISOString()).toBe("2026-02-09T00:00:00.000Z");
    expect((w.to - w.from) / DAY_MS).toBe(30);
  });
  it("puts midnight in the day it starts", () => {
    const w = salesWindow(Date.UTC(2026, 0, 1), 1);
    expect([w.from, w.to]).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2)]);
  });
});

describe("everyDay", () => {
  it("gives every day, zeros where no row", () => {
    const w = salesWindow(Date.UTC(2026, 0, 3, 12), 3);
    const rows = [{ day: Date.UTC(2026, 0, 2) / DAY_MS, n: 4 }];
    expect(everyDay(w, rows, (r) => ({ n: r?.n ?? 0 }))).toEqual([
      { date: "2026-01-01", n: 0 },
      { date: "2026-01-02", n: 4 },
      { date: "2026-01-03", n: 0 },
    ]);
  });
});

describe("refundRate", () => {
  it.each([
    [0, 0, 0],
    [3, 1, 0.25],
    [0, 2, 1],
    [3, 3, 0.5],
  ])("%i sold, %i refunded: %d", (sold, refunded, rate) => expect(refundRate(sold, refunded)).toBe(rate));
});
