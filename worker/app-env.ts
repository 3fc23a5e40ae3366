// The Hono environment shared by the app and its middleware.
import type { RequestIdVariables } from "hono/request-id";
import type { RequestMetrics } from "../db/metrics";
import type { Logger } from "../lib/log";

export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & {
    metrics: RequestMetrics;
    /** The logger bound to this request's id. */
    log: Logger;
    userId?: string;
    /** The request's D1 session, once the tRPC context opened it (its bookmark goes back to the caller). */
    /** A bookmark the request's session must start at or after (a cache version's writer, set by the response tier). */
    minBookmark?: string;
    d1Session?: { session: D1DatabaseSession; consistency: "primary" | "replica"; bookmarkIn: boolean };
    /** Set by adminOnly: the admin making the request. */
    adminId?: string;
  };
}
