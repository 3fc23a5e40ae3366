// Business refusals with a machine-readable reason (e.g. "expired", "declined") that the error
// formatter passes to clients as `data.reason`, next to the human message.
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

export class Refusal extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = "Refusal";
    this.reason = reason;
  }
}

export const refuse = (code: TRPC_ERROR_CODE_KEY, message: string, reason: string) =>
  new TRPCError({ code, message, cause: new Refusal(reason) });
