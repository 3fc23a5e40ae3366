// Every request gets an id, in logs and in the response; a caller's own id is kept if it is sane.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header("x-request-id");
  const id = given && SAFE_ID.test(given) ? given : crypto.randomUUID();
  c.set("requestId", id);
  await next();
  c.res.headers.set("x-request-id", id);
});
