// Errors answered by the HTTP layer itself, shaped like tRPC errors so clients parse them alike
// (under /api/v1 like the REST API's errors: `{ message, code, data }`, no tRPC envelope).
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export function trpcStyleError(c: Context, code: TRPC_ERROR_CODE_KEY, message: string) {
  const httpStatus = getHTTPStatusCodeFromError(new TRPCError({ code })) as ContentfulStatusCode;
  const requestId: unknown = c.get("requestId");
  if (c.req.path.startsWith("/api/")) return c.json({ message, code, data: { code, httpStatus, requestId } }, httpStatus);
  return c.json({ error: { json: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus, requestId } } } }, httpStatus);
}
