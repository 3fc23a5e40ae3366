// Refuses request bodies over the configured size with 413. Hono's bodyLimit checks
// Content-Length first and otherwise counts a re-wrapped stream, so tRPC still reads the body.
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { readConfig } from "../../router/config";
import type { AppEnv } from "../app-env";
import { trpcStyleError } from "../errors";

export const bodyLimit = createMiddleware<AppEnv>((c, next) =>
  honoBodyLimit({
    maxSize: readConfig(c.env).maxBodyBytes,
    onError: (c) => trpcStyleError(c, "PAYLOAD_TOO_LARGE", "Request body is too large."),
  })(c, next),
);
