// Builds the Hono app: the middleware chain, the plain HTTP routes and the /trpc mount.
import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { readConfig } from "../lib/config";
import { createContext } from "../router/context";
import { appRouter } from "../router";
import type { AppEnv } from "./app-env";
import { trpcStyleError } from "./errors";
import { describeError, log } from "../lib/log";
import { bodyLimit } from "./middleware/body-limit";
import { middlewareChain } from "./middleware/chain";
import { jsonOnly } from "./middleware/json-only";
import { webhooks } from "./webhooks";

// One tRPC handler per batch-size setting; in practice, one per isolate.
const trpcHandlers = new Map<number, ReturnType<typeof trpcServer>>();
function trpcHandler(maxBatchSize: number) {
  let handler = trpcHandlers.get(maxBatchSize);
  if (!handler) {
    handler = trpcServer({
      router: appRouter,
      endpoint: "/trpc",
      maxBatchSize,
      createContext: (opts, c) =>
        createContext({
          env: c.env,
          executionCtx: c.executionCtx,
          req: opts.req,
          resHeaders: opts.resHeaders,
          requestId: c.get("requestId"),
          metrics: c.get("metrics"),
          onUser: (userId) => c.set("userId", userId),
        }),
      onError: ({ error, path, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          log("error", "procedure.failed", { requestId: ctx?.requestId, path, ...describeError(error.cause ?? error) });
        }
      },
    });
    trpcHandlers.set(maxBatchSize, handler);
  }
  return handler;
}

export function buildApp() {
  const app = new Hono<AppEnv>();

  // The runtime's floor for `npm run bench`: a constant, before any middleware. Outside
  // production only (and in production the static-assets layer answers this path anyway).
  app.get("/__floor", (c, next) => (c.env.ENVIRONMENT === "production" ? next() : c.text("ok")));

  for (const middleware of middlewareChain) app.use(middleware);

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/readyz", async (c) => {
    try {
      await c.env.DB.prepare("select 1").first();
      return c.json({ status: "ready" });
    } catch (error) {
      log("error", "readyz.d1_unreachable", { requestId: c.get("requestId"), ...describeError(error) });
      return c.json({ status: "unavailable" }, 503);
    }
  });

  app.use("/trpc/*", bodyLimit, jsonOnly);
  app.use("/trpc/*", (c, next) => trpcHandler(readConfig(c.env).maxBatchSize)(c, next));

  app.use("/webhooks/*", bodyLimit);
  app.route("/webhooks", webhooks);

  app.notFound((c) => trpcStyleError(c, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`));

  app.onError((error, c) => {
    log("error", "request.failed", { requestId: c.get("requestId"), ...describeError(error) });
    return trpcStyleError(c, "INTERNAL_SERVER_ERROR", `Something went wrong on our side. Quote request id ${c.get("requestId")} if you report it.`);
  });

  return app;
}
