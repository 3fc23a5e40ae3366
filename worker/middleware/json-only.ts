// tRPC mutations must be JSON. A form or text/plain POST is sent cross-site without a CORS
// pre-check, so accepting only JSON keeps the refresh cookie from being used by another site.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { errorResponse } from "../errors";

export const jsonOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "POST") {
    const type = c.req.header("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      return errorResponse(c, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json.");
    }
  }
  await next();
});
