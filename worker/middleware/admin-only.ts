// Lets through only requests whose bearer token belongs to a live admin session (401/403 else).
import { createMiddleware } from "hono/factory";
import { createDb } from "../../db/client";
import { readConfig } from "../../lib/config";
import { authenticate, depsFor } from "../../router/context";
import { notSignedInMessage, rethrowOutage } from "../../router/errors";
import type { AppEnv } from "../app-env";
import { errorResponse } from "../errors";

export const adminOnly = createMiddleware<AppEnv>(async (c, next) => {
  const config = readConfig(c.env);
  const deps = { ...depsFor(c.env, config), db: createDb(c.env.DB, c.get("metrics")) };
  const { user, tokenProblem } = await authenticate(deps, { req: c.req.raw, onUser: (id) => c.set("userId", id) }, config).catch(
    rethrowOutage,
  );
  if (!user) return errorResponse(c, "UNAUTHORIZED", notSignedInMessage(tokenProblem));
  if (user.role !== "admin") return errorResponse(c, "FORBIDDEN", "Only administrators can do this.");
  c.set("adminId", user.id);
  await next();
});
