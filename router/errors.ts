// The one place a D1 outage becomes SERVICE_UNAVAILABLE (503, "try again"), wherever it surfaces.
import { TRPCError } from "@trpc/server";
import { isOutage } from "../db/unavailable";

export const serviceUnavailable = (cause?: unknown) =>
  new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The service is temporarily unavailable; try again shortly.", cause });

/** Rethrows an error, as SERVICE_UNAVAILABLE when it is a D1 outage. */
export function rethrowOutage(error: unknown): never {
  throw isOutage(error) ? serviceUnavailable(error) : error;
}
