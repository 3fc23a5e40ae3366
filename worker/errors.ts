// Errors answered by the HTTP layer itself (unknown routes, body limits, webhooks, exports,
// uploads, the REST API), in the API's one error shape (router/error-shape.ts): `{ message, code,
// data }`, inside tRPC's envelope under /trpc so that tRPC clients read them as their own.
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorReason } from "../domain/refusals";
import { errorData, type ErrorData } from "../router/error-data";
import type { ErrorBody } from "../router/error-shape";

export const statusOf = (code: TRPC_ERROR_CODE_KEY) => getHTTPStatusCodeFromError(new TRPCError({ code })) as ContentfulStatusCode;

/** The body of an error outside tRPC's envelope. */
export const errorBody = (message: string, data: ErrorData): ErrorBody => ({ message, code: data.code, data });

export function errorResponse(c: Context, code: TRPC_ERROR_CODE_KEY, message: string, extra: { reason?: ErrorReason; path?: string } = {}) {
  const httpStatus = statusOf(code);
  const requestId: unknown = c.get("requestId");
  const data = errorData({ code, httpStatus, requestId: typeof requestId === "string" ? requestId : undefined, ...extra });
  if (c.req.path.startsWith("/trpc/")) {
    return c.json({ error: { json: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data } } }, httpStatus);
  }
  return c.json(errorBody(message, data), httpStatus);
}
