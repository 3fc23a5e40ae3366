// The `data` of every error the API answers, as a plain type (no zod, so the client package's
// bundled declarations need nothing but tRPC); router/error-shape.ts publishes it as a schema.
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { ErrorReason } from "../domain/refusals";

export interface ErrorIssue {
  path: string;
  message: string;
  code: string;
}

export interface ErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path?: string;
  requestId?: string;
  issues?: ErrorIssue[];
  reason?: ErrorReason;
}

/** The data of an error, with `issues` and `reason` only when there are some (never as null). */
export function errorData(fields: {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path?: string | undefined;
  requestId?: string | undefined;
  issues?: ErrorIssue[] | undefined;
  reason?: ErrorReason | undefined;
}): ErrorData {
  const data: ErrorData = { code: fields.code, httpStatus: fields.httpStatus };
  if (fields.path !== undefined) data.path = fields.path;
  if (fields.requestId !== undefined) data.requestId = fields.requestId;
  if (fields.issues !== undefined) data.issues = fields.issues;
  if (fields.reason !== undefined) data.reason = fields.reason;
  return data;
}
