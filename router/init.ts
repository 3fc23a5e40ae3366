// initTRPC: superjson on the wire, the procedure meta type, and the one error formatter.
import { initTRPC, type TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Context } from "./context";
import { Refusal } from "../domain/refusals";
import { errorData, type ErrorData } from "./error-data";

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

/**
 * How a procedure is also served as REST under /api/v1 (worker/rest.ts, router/openapi.ts), in
 * trpc-to-openapi's shape. Written out here rather than imported so the client's bundled types
 * never reach into the REST adapter's (Node-flavoured) declarations.
 */
export type RestMeta = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: `/${string}`;
  summary: string;
  description?: string;
  tags: [string];
  /** Needs `Authorization: Bearer <access token>` (documented as such). */
  protect: boolean;
  /**
   * What this operation refuses beyond what follows from the rest of its meta (invalid input,
   * a missing token, rate limits, outages: router/openapi.ts adds those), and why. The document
   * lists every status an operation can answer, so a validating proxy flags any other.
   */
  refusals?: { [status in RefusalStatus]?: string };
};

/** Statuses an operation may declare in `refusals`. */
export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 412 | 422 | 429 | 503;

// A type alias, not an interface: trpc-to-openapi's router type wants an index-signature-compatible meta.
export type Meta = {
  rateLimit?: RateLimitRule | readonly RateLimitRule[];
  /**
   * "public": the output does not depend on the caller, so GET calls are answered from the edge
   * cache (worker/middleware/response-tier.ts). Only `cachedPublicProcedure` sets it; a start-up
   * check (router/cache-policy.ts) refuses a router where another builder's procedure claims it.
   */
  cache?: "public";
  /**
   * A cache namespace (db/cache.ts) besides the catalog's whose version keys a cached response:
   * `<prefix><input[field]>` (a product's reviews: "reviews:" + productId).
   */
  cacheNamespace?: { prefix: string; field: string };
  /** "primary": the request's D1 session starts on the primary, whatever bookmark the caller sent. */
  consistency?: "primary";
  openapi?: RestMeta;
};

/** The one answer to input that cannot be read at all, over /trpc and REST (README.md, "Errors"). */
export const UNPARSABLE_INPUT_MESSAGE = "The request could not be parsed; send JSON (over /trpc in tRPC's superjson format).";

// tRPC turns every failure to read the input (JSON.parse, superjson's deserialize, a malformed
// escape in the path) into BAD_REQUEST carrying the thrown error as its cause and, as message,
// that error's text: library internals such as superjson's "root.forEach is not a function",
// different per version. Our own BAD_REQUESTs carry no cause (or a Refusal) and validation
// failures a ZodError, so any other cause marks input we could not parse.
const isUnparsableInput = (error: TRPCError) =>
  error.code === "BAD_REQUEST" && error.cause !== undefined && !(error.cause instanceof ZodError) && !(error.cause instanceof Refusal);

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // Workers have no NODE_ENV, so tRPC would think it is in development and send stack traces.
    isDev: false,
    errorFormatter({ shape, error, ctx }): { message: string; code: typeof shape.code; data: ErrorData } {
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      const issues =
        error.code === "BAD_REQUEST" && error.cause instanceof ZodError
          ? error.cause.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message, code: i.code }))
          : undefined;
      const unparsable = !issues && isUnparsableInput(error);
      const requestId = ctx?.requestId;
      let message = shape.message;
      if (internal) message = `Something went wrong on our side. Quote request id ${requestId ?? "unknown"} if you report it.`;
      else if (issues) message = `Invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`;
      else if (unparsable) message = UNPARSABLE_INPUT_MESSAGE;
      const reason = error.cause instanceof Refusal ? error.cause.reason : unparsable ? "unparsable_input" : undefined;
      // Absent keys stay absent (superjson would send an undefined as null): the same data as REST's.
      const data = errorData({
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId,
        issues,
        reason,
      });
      return { message, code: shape.code, data };
    },
  });
