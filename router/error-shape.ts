// The one error shape of the API as a schema: the OpenAPI document's Error schema and the tests'
// check of every error body. tRPC's formatter, the REST API and the plain HTTP routes (webhooks,
// exports, uploads) build it with router/error-data.ts, whose plain type this must equal.
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import * as z from "zod";
import { ERROR_REASONS } from "../domain/refusals";
import type { ErrorData as PlainErrorData } from "./error-data";

// tRPC's own code names (the contract's table), listed once by tRPC.
const CODES = Object.keys(TRPC_ERROR_CODES_BY_KEY) as [TRPC_ERROR_CODE_KEY, ...TRPC_ERROR_CODE_KEY[]];

export const ErrorCode = z.enum(CODES).describe("The error code, as in the contract's table: BAD_REQUEST, UNAUTHORIZED, NOT_FOUND…");

export const ErrorIssue = z.object({
  path: z.string().describe("The field, dotted (`shippingAddress.country`); empty for the input as a whole."),
  message: z.string(),
  code: z.string().describe("zod's issue code (`invalid_type`, `too_small`…)."),
});

export const ErrorData = z.object({
  code: ErrorCode,
  httpStatus: z.number().int(),
  path: z.string().optional().describe("The procedure that answered (`cart.addItem`)."),
  requestId: z.string().optional().describe("Also in the x-request-id header; quote it when reporting a problem."),
  issues: z.array(ErrorIssue).optional().describe("Per-field problems; present exactly when the input failed validation."),
  reason: z
    .enum(ERROR_REASONS)
    .optional()
    .describe("Why a business rule refused the call, or `unparsable_input`; present exactly when there is one."),
});
// The schema and the plain type the formatter returns (router/error-data.ts) must agree both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _agree: Same<z.infer<typeof ErrorData>, PlainErrorData> = true;

/** The body of every error outside tRPC's envelope (REST, plain routes); tRPC's `error.json` has the same `message` and `data`. */
export const ErrorBody = z.object({
  message: z.string().describe("What went wrong, for a person."),
  code: ErrorCode.describe("The same as data.code."),
  data: ErrorData,
});
export type ErrorBody = z.infer<typeof ErrorBody>;
