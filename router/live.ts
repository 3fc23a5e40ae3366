// The loop both order subscriptions run: replay from D1 after the last event id, then wait for
// the feed's wake-ups, ending when the client goes, the access token expires or the session is
// revoked (the client reconnects with a fresh token and its lastEventId).
import { findLiveSessionUser } from "../db/sessions";
import type { Deps } from "../services/deps";

/** How often an idle stream re-checks that its session is still live (the context's `liveSessionCheckMs`). */
export const LIVE_SESSION_CHECK_MS = 30_000;

type LiveContext = Pick<Deps, "db" | "feeds" | "now" | "liveSessionCheckMs"> & {
  user: { id: string };
  sessionFamily: string;
  tokenExpiresAt: number;
};

/**
 * Yields each event `read` returns after the last one seen, now and after every wake-up of `feed`.
 * `read(afterId)` gives events oldest first; each must carry its order_events id.
 */
export async function* live<E extends { id: number }>(
  ctx: LiveContext,
  feed: string,
  signal: AbortSignal | undefined,
  lastEventId: number | null,
  read: (afterId: number) => Promise<E[]>,
  latestId: () => Promise<number>,
): AsyncGenerator<E, void, undefined> {
  // Listen before reading, so a change between the two is not lost.
  let wake = await ctx.feeds.listen(feed, signal);
  // A first subscription starts from now: the current state is the query's to give.
  let last = lastEventId ?? (await latestId());
  let lostFeed = false;
  try {
    for (;;) {
      for (const event of await read(last)) {
        last = event.id;
        yield event;
      }
      const wait = Math.min(ctx.liveSessionCheckMs, ctx.tokenExpiresAt - ctx.now());
      if (wait <= 0) return;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const tick = new Promise<"tick">((resolve) => (timer = setTimeout(() => resolve("tick"), wait)));
      // A session check that wins the race leaves the wake-up waiting: the next call takes it up.
      const woke = await Promise.race([wake.next(), tick]);
      clearTimeout(timer);
      if (signal?.aborted || ctx.now() >= ctx.tokenExpiresAt) return;
      if (woke === false) {
        // The feed object went away (evicted, reset) while the client stays: listen to its new
        // instance, then the next read replays from D1 whatever changed in between. Twice in a row
        // without a wake-up, end the stream instead (the client reconnects with its lastEventId).
        if (lostFeed) return;
        lostFeed = true;
        wake.cancel();
        wake = await ctx.feeds.listen(feed, signal);
        continue;
      }
      lostFeed = false;
      // Revocation (logout, password change, refresh-token reuse) ends the stream.
      if (!(await findLiveSessionUser(ctx.db, ctx.user.id, ctx.sessionFamily))) return;
    }
  } finally {
    wake.cancel();
  }
}
