// The REST API at /api/v1: the procedures with `meta.openapi`, called with the same context (auth,
// rate limits, logger, request id) as /trpc, their input read by router/rest-routes.ts (strict: the
// shared schemas are never edited) and every error in the API's one shape. The OpenAPI document
// (/api/v1/openapi.json, generated at build time by `npm run openapi`) and the reference page
// (/api/v1/docs) are static assets: the generator stays out of the Worker's bundle.
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape } from "@trpc/server";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { appRouter } from "../router";
import { createContext, type Context } from "../router/context";
import { errorData } from "../router/error-data";
import { UNPARSABLE_INPUT_MESSAGE } from "../router/init";
import { bodyInput, matchPath, queryInput, REST_BASE, type RestRoute } from "../router/rest-routes";
import { describeError } from "../lib/log";
import type { AppEnv } from "./app-env";
import { errorBody, errorResponse } from "./errors";
import { bodyLimit } from "./middleware/body-limit";

export const rest = new Hono<AppEnv>();

rest.use("*", bodyLimit);

const isJson = (type: string | undefined) => type?.split(";", 1)[0]?.trim().toLowerCase() === "application/json";

type Input = { ok: true; value: unknown } | { ok: false };

/** The call's input: the query string and path for GET and DELETE, the JSON body (as parsed) and path otherwise. */
async function readInput(raw: Request, route: RestRoute, params: Record<string, string>): Promise<Input> {
  if (!route.takesInput) return { ok: true, value: undefined };
  if (route.method === "GET" || route.method === "DELETE")
    return { ok: true, value: queryInput(route, new URL(raw.url).searchParams, params) };
  const text = await raw.text();
  // A call without a body (POST /orders/{id}/cancel) has only its path.
  if (text.trim() === "") return { ok: true, value: { ...params } };
  try {
    return { ok: true, value: bodyInput(JSON.parse(text), params) };
  } catch {
    return { ok: false };
  }
}

rest.all("*", async (c) => {
  const raw = c.req.raw;
  const url = new URL(raw.url);
  const match = matchPath(url.pathname.slice(REST_BASE.length) || "/");
  if (match.kind === "none") return errorResponse(c, "NOT_FOUND", `No route for ${raw.method} ${url.pathname}.`);
  if (match.kind === "unparsable") return errorResponse(c, "BAD_REQUEST", UNPARSABLE_INPUT_MESSAGE, { reason: "unparsable_input" });

  // HEAD answers as GET does, without the body.
  const head = raw.method === "HEAD";
  const route = [...match.byMethod.values()].find((r) => r.method === (head ? "GET" : raw.method));
  if (!route) {
    const allow: string[] = [...match.byMethod.keys()];
    if (match.byMethod.has("GET")) allow.push("HEAD");
    c.header("Allow", allow.join(", "));
    return errorResponse(c, "METHOD_NOT_SUPPORTED", `${url.pathname} answers ${allow.join(", ")}, not ${raw.method}.`);
  }

  const type = c.req.header("content-type");
  const hasBody = raw.body !== null && c.req.header("content-length") !== "0";
  // A body must be JSON. A call without one (POST /orders/{id}/cancel, /auth/logout) needs no
  // content type: REST never reads cookies (below), so a cross-site form post carries nothing.
  if ((hasBody || type !== undefined) && !isJson(type) && route.method !== "GET") {
    return errorResponse(c, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json.");
  }
  const input = await readInput(raw, route, match.params);
  if (!input.ok) return errorResponse(c, "BAD_REQUEST", UNPARSABLE_INPUT_MESSAGE, { reason: "unparsable_input", path: route.procedure });

  // The procedures write rate-limit headers and cookies here, as they do under /trpc.
  const resHeaders = new Headers();
  let ctx: Context | undefined;
  const answer = (status: ContentfulStatusCode, body: unknown) => {
    // REST clients hold their refresh token themselves: no cookies either way.
    for (const [name, value] of resHeaders) if (name !== "set-cookie") c.header(name, value);
    if (head) return c.body(null, status, { "content-type": "application/json" });
    return c.json(body, status);
  };
  try {
    ctx = await createContext({
      env: c.env,
      waitUntil: (p) => c.executionCtx.waitUntil(p),
      req: withoutCookies(raw),
      resHeaders,
      requestId: c.get("requestId"),
      metrics: c.get("metrics"),
      log: c.get("log"),
      onUser: (userId) => c.set("userId", userId),
    });
    const data: unknown = await callTRPCProcedure({
      router: appRouter,
      path: route.procedure,
      getRawInput: () => Promise.resolve(input.value),
      ctx,
      type: route.type,
      signal: raw.signal,
      batchIndex: 0,
    });
    // Dates leave as ISO strings (JSON), as the document says.
    return answer(200, data);
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    if (error.code === "INTERNAL_SERVER_ERROR") {
      (ctx?.log ?? c.get("log")).error("procedure.failed", { path: route.procedure, ...describeError(error.cause ?? error) });
    }
    // The same formatter as /trpc, so message, code, reason and issues are tRPC's, word for word.
    const shape = getTRPCErrorShape({
      config: appRouter._def._config,
      error,
      type: route.type,
      path: route.procedure,
      input: input.value,
      ctx,
    });
    const data = errorData({ ...shape.data, requestId: c.get("requestId") });
    return answer(data.httpStatus as ContentfulStatusCode, errorBody(shape.message, data));
  }
});

// The refresh token is read from the body only: a browser's refresh cookie (scoped to /trpc
// anyway) must never authenticate a REST call, so REST needs no CSRF defence.
function withoutCookies(raw: Request) {
  if (!raw.headers.has("cookie")) return raw;
  const headers = new Headers(raw.headers);
  headers.delete("cookie");
  return new Request(raw.url, { method: raw.method, headers });
}
