// The Hono environment shared by the app and its middleware.
import type { RequestMetrics } from "../db/metrics";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    metrics: RequestMetrics;
    userId?: string;
    procedures?: string;
  };
}
