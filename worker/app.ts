// Builds the Hono app: the middleware chain, the plain HTTP routes, the /trpc and /api/v1 mounts.
import { trpcServer } from "@hono/trpc-server";
import type { TRPCError } from "@trpc/server";
import { Hono, type Context as HonoContext, type MiddlewareHandler } from "hono";
import { newerBookmark, pingD1, validBookmark } from "../db/client";
import { readConfig } from "../lib/config";
import { createContext, type Context } from "../router/context";
import { appRouter } from "../router";
import { policies } from "../router/cache-policy";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";
import { describeError, logger } from "../lib/log";
import { bodyLimit } from "./middleware/body-limit";
import { middlewareChain } from "./middleware/chain";
import { d1Bookmark, BOOKMARK_HEADER } from "./middleware/d1-bookmark";
import { allPublic, PUBLIC_CACHE_CONTROL, responseTier } from "./middleware/response-tier";
import { jsonOnly } from "./middleware/json-only";
import { rest } from "./rest";
import { mailboxRoutes } from "./mailbox";
import { testPaymentRoutes } from "./test-payments";
import { appPages } from "./app-pages";
import { exports } from "./exports";
import { images, uploads } from "./images";
import { webhooks } from "./webhooks";
import { benchPeerProduct } from "./bench-peer";

declare const __BENCH_FLOOR__: boolean | undefined;

// tRPC's adapter types the ctx of onError loosely; this is what createContext gives it.
type ErrorInfo = { error: TRPCError; path: string | undefined; ctx: Context | undefined };

const onError = ({ error, path, ctx }: ErrorInfo) => {
  if (error.code === "INTERNAL_SERVER_ERROR") ctx?.log.error("procedure.failed", { path, ...describeError(error.cause ?? error) });
};

// One tRPC handler per batch-size setting; in practice, one per isolate.
const trpcHandlers = new Map<number, MiddlewareHandler<AppEnv>>();
function trpcHandler(maxBatchSize: number) {
  let handler = trpcHandlers.get(maxBatchSize);
  if (!handler) {
    handler = trpcServer({
      router: appRouter,
      endpoint: "/trpc",
      maxBatchSize,
      createContext: (opts, c: HonoContext<AppEnv>) =>
        createContext({
          env: c.env,
          waitUntil: (p) => c.executionCtx.waitUntil(p),
          req: opts.req,
          resHeaders: opts.resHeaders,
          connectionToken: opts.info.connectionParams?.accessToken,
          requestId: c.get("requestId"),
          metrics: c.get("metrics"),
          log: c.get("log"),
          onUser: (userId) => c.set("userId", userId),
          // The caller's own writes, and those behind the cache versions this answer is stored under.
          bookmark: newerBookmark(validBookmark(c.req.header(BOOKMARK_HEADER)), c.get("minBookmark") ?? null),
          consistency: opts.info.calls.some((call) => policies.get(call.path)?.primary) ? "primary" : "replica",
          onSession: (session, consistency) =>
            c.set("d1Session", { session, consistency, bookmarkIn: validBookmark(c.req.header(BOOKMARK_HEADER)) !== null }),
        }),
      onError,
      // Only a query whose every call is public and answered may be shared (and stored, by the
      // response tier, which keys on this header).
      responseMeta: ({ paths, type, errors }) =>
        type === "query" && errors.length === 0 && allPublic(paths) ? { headers: { "cache-control": PUBLIC_CACHE_CONTROL } } : {},
    });
    trpcHandlers.set(maxBatchSize, handler);
  }
  return handler;
}

export function buildApp() {
  const app = new Hono<AppEnv>();

  // The runtime's floor for `npm run bench`: a constant, before any middleware. Only in bundles
  // built with `--define __BENCH_FLOOR__:true` (bench/runtime.ts); wrangler.toml defines it false,
  // so esbuild drops this from every other build, production's included.
  if (typeof __BENCH_FLOOR__ !== "undefined" && __BENCH_FLOOR__) app.get("/__floor", (c) => c.text("ok"));

  for (const middleware of middlewareChain) app.use(middleware);

  // The bench's like-for-like peer of catalog.get, hand-written in plain Hono, behind the same
  // chain in the same isolate (worker/bench-peer.ts); dropped from every other build like the floor.
  if (typeof __BENCH_FLOOR__ !== "undefined" && __BENCH_FLOOR__) app.get("/__peer/product", benchPeerProduct);

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  // Ready means able to sell: D1 answers and a payment provider is configured for this
  // environment. Each problem is named, so whoever deploys sees why (never a secret's value).
  app.get("/readyz", async (c) => {
    const problems: string[] = [];
    const { payments } = readConfig(c.env);
    if (payments.provider === "unconfigured") {
      c.get("log").error("readyz.payments_not_configured", { problem: payments.problem });
      problems.push(`payments_not_configured: ${payments.problem}`);
    }
    try {
      await pingD1(c.env.DB);
    } catch (error) {
      c.get("log").error("readyz.d1_unreachable", describeError(error));
      problems.push("d1_unreachable");
    }
    return problems.length === 0 ? c.json({ status: "ready" }) : c.json({ status: "unavailable", problems }, 503);
  });

  app.use("/trpc/*", bodyLimit, jsonOnly, responseTier, d1Bookmark);
  // Typed as the tRPC handler's own context: `app.use` would give it an `any` input type.
  app.use("/trpc/*", (c: HonoContext<AppEnv, string>, next) => trpcHandler(readConfig(c.env).maxBatchSize)(c, next));

  app.route("/api/v1", rest);

  app.use("/webhooks/*", bodyLimit);
  app.route("/webhooks", webhooks);

  // The test provider's 3-D Secure step and the mailbox; each answers 404 unless configured
  // (the test provider, the mailbox transport), which only development and tests can be.
  app.use("/dev/*", bodyLimit);
  app.route("/dev/test-payments", testPaymentRoutes);
  app.route("/dev/mailbox", mailboxRoutes);
  app.route("/exports", exports);
  app.route("/uploads", uploads);
  app.route("/images", images);
  // Last: every other GET is one of the web app's documents (wrangler.toml run_worker_first).
  app.route("/", appPages);

  app.notFound((c) => errorResponse(c, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`));

  app.onError((error, c) => {
    // The logger is missing only if the failure came before the logging middleware ran.
    (c.get("log") ?? logger).error("request.failed", { requestId: c.get("requestId"), ...describeError(error) });
    return errorResponse(
      c,
      "INTERNAL_SERVER_ERROR",
      `Something went wrong on our side. Quote request id ${c.get("requestId")} if you report it.`,
    );
  });

  return app;
}
