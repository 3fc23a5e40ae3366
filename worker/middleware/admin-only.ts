// Lets through only requests whose bearer token belongs to a live admin session (401/403 else).
import { createMiddleware } from "hono/factory";
import { createDb } from "../../db/client";
import { readConfig } from "../../lib/config";
import { authenticate, depsFor } from "../../router/context";
import { rethrowOutage } from "../../router/errors";
import type { AppEnv } from "../app-env";
import { trpcStyleError } from "../errors";

export const adminOnly = createMiddleware<AppEnv>(async (c, next) => {
  const config = readConfig(c.env);
  const deps = { ...depsFor(c.env, config), db: createDb(c.env.DB, c.get("metrics")) };
  const { user, tokenRejected } = await authenticate(deps, { req: c.req.raw, onUser: (id) => c.set("userId", id) }, config).catch(
    rethrowOutage,
  );
  if (!user) return trpcStyleError(c, "UNAUTHORIZED", tokenRejected ? "Your session has expired; sign in again." : "Sign in to do this.");
  if (user.role !== "admin") return trpcStyleError(c, "FORBIDDEN", "Only administrators can do this.");
  c.set("adminId", user.id);
  await next();
});
