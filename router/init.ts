// initTRPC: superjson on the wire, the procedure meta type, and the one error formatter.
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Context } from "./context";
import { Refusal } from "../services/refusal";

/**
 * A limit counted per client IP or per signed-in user, before the input is validated. Limits on
 * what the input names (the account a login tries) are taken by the resolver once it has
 * validated, so a malformed call never counts against someone else (login-attempts.ts).
 */
export interface RateLimitRule {
  key: "ip" | "user";
  limit: number;
  windowSeconds: number;
}

export interface Meta {
  rateLimit?: RateLimitRule | readonly RateLimitRule[];
}

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // Workers have no NODE_ENV, so tRPC would think it is in development and send stack traces.
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      const issues =
        error.code === "BAD_REQUEST" && error.cause instanceof ZodError
          ? error.cause.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message, code: i.code }))
          : undefined;
      const requestId = ctx?.requestId;
      let message = shape.message;
      if (internal) message = `Something went wrong on our side. Quote request id ${requestId ?? "unknown"} if you report it.`;
      else if (issues) message = `Invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`;
      return {
        message,
        code: shape.code,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          requestId,
          issues,
          reason: error.cause instanceof Refusal ? error.cause.reason : undefined,
        },
      };
    },
  });
