// Every request gets an id, in logs and on its response; a caller's own id is kept if it is sane
// (Hono's requestId: word characters, '-' and '=' only, here at most 64 of them).
import { createMiddleware } from "hono/factory";
import { requestId as honoRequestId } from "hono/request-id";
import type { AppEnv } from "../app-env";

const HEADER = "x-request-id";
const assignId = honoRequestId({ limitLength: 64 });

export const requestId = createMiddleware<AppEnv>((c, next) =>
  assignId(c, async () => {
    await next();
    // Hono's middleware sets the header before the handler runs, where only a response made with
    // c.json/c.body picks it up: one the handler builds itself (the tRPC adapter's, R2's image
    // responses, the REST adapter's) replaces it, headers and all. So it goes on whatever answer
    // came back, error pages included.
    c.header(HEADER, c.get("requestId"));
  }),
);
