// The sales dashboard's calendar: which UTC days a window covers, and a value for every one of them.
export const DAY_MS = 86_400_000;

/** The last `days` UTC days up to and including today's: [from, to) in epoch ms. */
export function salesWindow(now: number, days: number) {
  const tomorrow = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  return { from: tomorrow - days * DAY_MS, to: tomorrow };
}

/** Every day of the window in order, as YYYY-MM-DD, with the day's row or zeros. */
export function everyDay<R extends { day: number }, V>(
  window: { from: number; to: number },
  rows: readonly R[],
  value: (row: R | undefined) => V,
) {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: ({ date: string } & V)[] = [];
  for (let at = window.from; at < window.to; at += DAY_MS) {
    out.push({ date: new Date(at).toISOString().slice(0, 10), ...value(byDay.get(at / DAY_MS)) });
  }
  return out;
}

/** Refunded over everything that was paid; 0 when nothing was. */
export const refundRate = (sold: number, refunded: number) => (sold + refunded === 0 ? 0 : refunded / (sold + refunded));
