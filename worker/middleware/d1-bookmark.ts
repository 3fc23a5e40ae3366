// Sends the request's D1 session bookmark back in `x-d1-bookmark` when the request ran queries,
// so a client that returns it reads its own writes even on a replica (read replication).
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";

export const BOOKMARK_HEADER = "x-d1-bookmark";

export const d1Bookmark = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const bookmark = c.get("metrics").dbCalls > 0 ? c.get("d1Session")?.getBookmark() : null;
  if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
});
