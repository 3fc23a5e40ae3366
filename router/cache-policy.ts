// What each procedure's meta says about caching and D1 consistency, read once at start-up: which
// calls the edge may answer from its cache (and what versions key them), which start on the primary.
import type { AnyRouter } from "@trpc/server";
import { appRouter } from "./index";
import { cachedPublicProcedure } from "./trpc";

export interface ProcedurePolicy {
  /** Served from the edge cache: the output does not depend on the caller. */
  publicCache: boolean;
  /** The request's D1 session starts on the primary. */
  primary: boolean;
  /** Input field naming a per-item cache namespace (`<prefix><value>`) whose version keys the entry. */
  cacheNamespace?: { prefix: string; field: string };
}

// Procedures are functions with a `_def`; routers' records are objects.
const isObject = (value: unknown): value is object => (typeof value === "object" && value !== null) || typeof value === "function";
const field = (value: unknown, key: string): unknown => (isObject(value) && key in value ? Reflect.get(value, key) : undefined);

// The middleware the cached public builder adds: a procedure built by another builder (authed,
// admin, or plain public) lacks it, whatever its meta claims.
const PUBLIC_MIDDLEWARE: unknown = cachedPublicProcedure._def.middlewares[0];

function policyOf(path: string, procedure: unknown): ProcedurePolicy {
  const def = field(procedure, "_def");
  const meta = field(def, "meta");
  const middlewares = field(def, "middlewares");
  const publicCache = field(meta, "cache") === "public";
  if (publicCache) {
    const first: unknown = Array.isArray(middlewares) ? middlewares[0] : undefined;
    if (first !== PUBLIC_MIDDLEWARE || field(def, "type") !== "query") {
      throw new Error(`${path} is marked cache: "public" but is not a query built with cachedPublicProcedure (router/trpc.ts)`);
    }
  }
  const ns = field(meta, "cacheNamespace");
  const prefix = field(ns, "prefix");
  const nsField = field(ns, "field");
  return {
    publicCache,
    primary: field(meta, "consistency") === "primary",
    cacheNamespace: typeof prefix === "string" && typeof nsField === "string" ? { prefix, field: nsField } : undefined,
  };
}

/** Every procedure's policy by path; throws when a procedure claims a public cache it may not have. */
export function readPolicies(router: AnyRouter): ReadonlyMap<string, ProcedurePolicy> {
  const procedures: unknown = router._def.procedures;
  const policies = new Map<string, ProcedurePolicy>();
  if (isObject(procedures)) for (const [path, procedure] of Object.entries(procedures)) policies.set(path, policyOf(path, procedure));
  return policies;
}

// Read at start-up: a procedure that claims a public cache it may not have stops the Worker here.
export const policies = readPolicies(appRouter);
