// Where failures become the contract's errors: a D1 outage is SERVICE_UNAVAILABLE (503, "try
// again") wherever it surfaces, and a domain Refusal gets its code here, once.
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { isOutage } from "../db/unavailable";
import { Refusal, type RefusalKind } from "../domain/refusals";
import type { TokenProblem } from "./context";

export const serviceUnavailable = (cause?: unknown) =>
  new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The service is temporarily unavailable; try again shortly.", cause });

/** Rethrows an error, as SERVICE_UNAVAILABLE when it is a D1 outage. */
export function rethrowOutage(error: unknown): never {
  throw isOutage(error) ? serviceUnavailable(error) : error;
}

const REFUSAL_CODES: Record<RefusalKind, TRPC_ERROR_CODE_KEY> = {
  rejected_input: "BAD_REQUEST",
  conflict: "CONFLICT",
  precondition: "PRECONDITION_FAILED",
  unprocessable: "UNPROCESSABLE_CONTENT",
  unavailable: "SERVICE_UNAVAILABLE",
};

/** A refusal as tRPC's error: its code from the kind, its message, and itself as the cause (the formatter reads the reason there). */
export const refusalError = (refusal: Refusal) =>
  new TRPCError({ code: REFUSAL_CODES[refusal.kind], message: refusal.message, cause: refusal });

/**
 * The error a failed call answers with: a Refusal thrown anywhere below the procedure builder
 * (tRPC wraps it as an internal error) becomes its own code; a D1 outage a 503.
 */
export function contractError(error: TRPCError): TRPCError | null {
  if (error.cause instanceof Refusal) return error.code === "INTERNAL_SERVER_ERROR" ? refusalError(error.cause) : null;
  if (isOutage(error)) return serviceUnavailable(error);
  return null;
}

const SIGNED_OUT: Record<TokenProblem | "none", string> = {
  none: "Sign in to do this.",
  // A failed sign-in leaves a script holding no token (`Bearer null`): say so, not "expired".
  unreadable: "The Authorization header holds no valid access token; sign in to get one.",
  expired: "Your access token has expired; renew it with your refresh token, or sign in again.",
  session_ended: "Your session has ended (signed out or revoked); sign in again.",
};

/** The UNAUTHORIZED message for a request that is not signed in, saying what happened to its token. */
export const notSignedInMessage = (problem: TokenProblem | null) => SIGNED_OUT[problem ?? "none"];
