// The REST API's routes (/api/v1): which procedure answers each method and path, read from the
// procedures' `meta.openapi`, and how a request's parts become its input. Inputs are parsed here,
// never by editing the procedures' shared zod schemas: a JSON body reaches the procedure as
// parsed, exactly as over /trpc, and a query string's integers are read from strict decimals only.
import type { AnyTRPCProcedure } from "@trpc/server";
import * as z from "zod";
import type { Meta, RestMeta } from "./init";
import { appRouter } from "./index";

export const REST_BASE = "/api/v1";

export type RestMethod = RestMeta["method"];

export interface RestRoute {
  /** The procedure's path (`cart.addItem`). */
  procedure: string;
  type: "query" | "mutation";
  method: RestMethod;
  /** The document's path (`/cart/items/{productId}`). */
  template: string;
  meta: RestMeta;
  /** Whether the procedure declares an input at all (a body-less one such as `cart.get` gets none). */
  takesInput: boolean;
  /** Whether `meta.rateLimit` limits it (429). */
  rateLimited: boolean;
  /** Query fields the schema reads as integers. */
  integerFields: ReadonlySet<string>;
}

interface PathPattern {
  template: string;
  regex: RegExp;
  params: string[];
  byMethod: Map<RestMethod, RestRoute>;
}

// A decimal integer as a person writes it: no sign but minus, no leading zeros, spaces, hex or exponent.
const STRICT_INTEGER = /^(?:0|-?[1-9][0-9]{0,15})$/;

/** The fields of an object schema whose value is a number (through optional, default, nullable). */
function integerFields(schema: unknown): Set<string> {
  const fields = new Set<string>();
  if (!(schema instanceof z.ZodObject)) return fields;
  for (const [key, field] of Object.entries(schema.shape)) {
    let inner: unknown = field;
    while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) inner = inner.unwrap();
    if (inner instanceof z.ZodNumber) fields.add(key);
  }
  return fields;
}

const isProcedure = (value: unknown): value is AnyTRPCProcedure =>
  typeof value === "function" && "_def" in value && typeof value._def === "object" && value._def !== null && "procedure" in value._def;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

let routes: RestRoute[] | undefined;

/** Every REST operation, in the router's order (the OpenAPI document and the adapter read the same list). */
export function restRoutes(): readonly RestRoute[] {
  if (routes) return routes;
  routes = [];
  // At run time the router's record is flat, keyed by the procedure's dotted path.
  const procedures: Record<string, unknown> = appRouter._def.procedures;
  for (const [path, procedure] of Object.entries(procedures)) {
    if (!isProcedure(procedure)) continue;
    const meta = procedure._def.meta as Meta | undefined;
    const type = procedure._def.type;
    if (!meta?.openapi || type === "subscription") continue;
    routes.push({
      procedure: path,
      type,
      method: meta.openapi.method,
      template: meta.openapi.path,
      meta: meta.openapi,
      takesInput: procedure._def.inputs.length > 0,
      rateLimited: meta.rateLimit !== undefined,
      integerFields: integerFields(procedure._def.inputs[0]),
    });
  }
  return routes;
}

function buildPatterns(): PathPattern[] {
  const patterns = new Map<string, PathPattern>();
  for (const route of restRoutes()) {
    let pattern = patterns.get(route.template);
    if (!pattern) {
      const params: string[] = [];
      const source = route.template
        .split(/(\{[A-Za-z0-9_]+\})/)
        .map((part) => {
          const param = /^\{([A-Za-z0-9_]+)\}$/.exec(part)?.[1];
          if (!param) return escapeRegex(part);
          params.push(param);
          return "([^/]+)";
        })
        .join("");
      pattern = { template: route.template, regex: new RegExp(`^${source}/?$`), params, byMethod: new Map() };
      patterns.set(route.template, pattern);
    }
    pattern.byMethod.set(route.method, route);
  }
  // A literal segment wins over a parameter (`/cart/discount` before a `/cart/{x}`).
  return [...patterns.values()].sort((a, b) => a.params.length - b.params.length);
}

let patterns: PathPattern[] | undefined;

export type PathMatch =
  | { kind: "none" }
  | { kind: "unparsable" }
  | { kind: "found"; byMethod: ReadonlyMap<RestMethod, RestRoute>; params: Record<string, string> };

/** The routes at a path (relative to /api/v1), with the path's parameters decoded. */
export function matchPath(pathname: string): PathMatch {
  patterns ??= buildPatterns();
  for (const pattern of patterns) {
    const found = pattern.regex.exec(pathname);
    if (!found) continue;
    const params: Record<string, string> = {};
    try {
      pattern.params.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1] ?? "")));
    } catch {
      // A malformed escape (`%E0%A4%A`) is input we cannot read, as tRPC says of its own paths.
      return { kind: "unparsable" };
    }
    return { kind: "found", byMethod: pattern.byMethod, params };
  }
  return { kind: "none" };
}

/**
 * A GET or DELETE call's input from its query string and path. A query value is a string, or
 * an array when the name repeats; an integer field's value becomes a number only when it is a
 * strict decimal (`5`, `-3`), so ` 5`, `0x10`, `1e2` and `5.0` reach the schema as strings and
 * are refused as they would be over /trpc.
 */
export function queryInput(route: RestRoute, search: URLSearchParams, params: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key).map((v) => (route.integerFields.has(key) && STRICT_INTEGER.test(v) ? Number(v) : v));
    input[key] = values.length === 1 ? values[0] : values;
  }
  return { ...input, ...params };
}

/** A body call's input: the JSON as parsed (no coercion), with the path's parameters when it is an object. */
export function bodyInput(body: unknown, params: Record<string, string>): unknown {
  if (Object.keys(params).length === 0) return body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  return { ...body, ...params };
}
