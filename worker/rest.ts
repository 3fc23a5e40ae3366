// The REST API at /api/v1: the procedures with `meta.openapi`, through trpc-to-openapi's fetch
// adapter, with the same context (auth, rate limits, logger, request id) as /trpc. The OpenAPI
// document (/api/v1/openapi.json, generated at build time by `npm run openapi`) and the reference
// page (/api/v1/docs) are static assets: the generator stays out of the Worker's bundle.
import type { TRPCError } from "@trpc/server";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { appRouter } from "../router";
import { createContext, type Context } from "../router/context";
import { REST_BASE } from "../router/openapi";
import { describeError } from "../lib/log";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";
import { bodyLimit } from "./middleware/body-limit";

type ErrorInfo = { error: TRPCError; path: string | undefined; ctx: Context | undefined };

const onError = ({ error, path, ctx }: ErrorInfo) => {
  if (error.code === "INTERNAL_SERVER_ERROR") ctx?.log.error("procedure.failed", { path, ...describeError(error.cause ?? error) });
};

export const rest = new Hono<AppEnv>();

rest.use("*", bodyLimit);

const isJson = (type: string | undefined) => type?.split(";", 1)[0]?.trim().toLowerCase() === "application/json";

rest.all("*", async (c) => {
  const raw = c.req.raw;
  const type = c.req.header("content-type");
  const hasBody = raw.body !== null && c.req.header("content-length") !== "0";
  // A body must be JSON. A call without one (POST /orders/{id}/cancel, /auth/logout) needs no
  // content type: REST never reads cookies (below), so a cross-site form post carries nothing.
  if ((hasBody || type !== undefined) && !isJson(type) && raw.method !== "GET" && raw.method !== "HEAD") {
    return errorResponse(c, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json.");
  }
  const req = hasBody || raw.method === "GET" || raw.method === "DELETE" || raw.method === "HEAD" ? raw : emptyJsonBody(raw);
  // The procedures write rate-limit headers and cookies here, as they do under /trpc.
  const resHeaders = new Headers();
  const response = await createOpenApiFetchHandler({
    endpoint: REST_BASE,
    router: appRouter,
    req,
    createContext: () =>
      createContext({
        env: c.env,
        waitUntil: (p) => c.executionCtx.waitUntil(p),
        req: withoutCookies(raw),
        resHeaders,
        requestId: c.get("requestId"),
        metrics: c.get("metrics"),
        log: c.get("log"),
        onUser: (userId) => c.set("userId", userId),
      }),
    onError,
  });
  const headers = new Headers(response.headers);
  // REST clients hold their refresh token themselves: no cookies either way.
  for (const [name, value] of resHeaders) if (name !== "set-cookie") headers.set(name, value);
  const text = await response.text();
  // Through Hono's context, so the middleware's headers (request id, security headers) apply.
  // The adapter answers JSON with a status from tRPC's code table (worker/errors.ts does the same).
  const status = response.status as ContentfulStatusCode;
  return c.newResponse(response.ok ? text : withRequestId(text, c.get("requestId")), { status, headers });
});

// Errors raised before a context exists (an unknown route) carry the request id too, as in tRPC.
function withRequestId(text: string, requestId: string) {
  const body: unknown = JSON.parse(text);
  if (typeof body !== "object" || body === null || !("data" in body) || typeof body.data !== "object" || body.data === null) return text;
  return JSON.stringify({ ...body, data: { ...body.data, requestId } });
}

function emptyJsonBody(raw: Request) {
  const headers = new Headers(raw.headers);
  headers.set("content-type", "application/json");
  return new Request(raw.url, { method: raw.method, headers, body: "{}" });
}

// The refresh token is read from the body only: a browser's refresh cookie (scoped to /trpc
// anyway) must never authenticate a REST call, so REST needs no CSRF defence.
function withoutCookies(raw: Request) {
  if (!raw.headers.has("cookie")) return raw;
  const headers = new Headers(raw.headers);
  headers.delete("cookie");
  return new Request(raw.url, { method: raw.method, headers });
}
