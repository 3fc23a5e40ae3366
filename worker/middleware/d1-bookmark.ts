// Sends the request's D1 session bookmark back in `x-d1-bookmark` when the request ran queries,
// so a client that returns it reads its own writes even on a replica (read replication). The
// session is a span in Workers traces ("d1.session": where it started, its round trips).
import { createMiddleware } from "hono/factory";
import { tracing } from "cloudflare:workers";
import type { AppEnv } from "../app-env";

export const BOOKMARK_HEADER = "x-d1-bookmark";

export const d1Bookmark = createMiddleware<AppEnv>((c, next) =>
  tracing.enterSpan("d1.session", async (span) => {
    await next();
    const opened = c.get("d1Session");
    const roundTrips = c.get("metrics").dbCalls;
    const bookmark = opened && roundTrips > 0 ? opened.session.getBookmark() : null;
    if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
    span.setAttributes({
      "d1.consistency": opened?.consistency,
      "d1.bookmark_sent": opened?.bookmarkIn,
      "d1.round_trips": roundTrips,
      "d1.bookmark": bookmark ?? undefined,
    });
  }),
);
