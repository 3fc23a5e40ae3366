// Business refusals with a machine-readable reason from the contract's closed set, which the
// error formatter passes to clients as `data.reason`, next to the human message.
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { RefusalReason } from "../domain/refusals";

export class Refusal extends Error {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason) {
    super(reason);
    this.name = "Refusal";
    this.reason = reason;
  }
}

export const refuse = (code: TRPC_ERROR_CODE_KEY, message: string, reason: RefusalReason) =>
  new TRPCError({ code, message, cause: new Refusal(reason) });
