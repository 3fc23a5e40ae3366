// The benchmark's second Worker: cost attribution.
// It runs in the same workerd (same Miniflare instance) as the storefront Worker, behind the
// same Miniflare entry, with the same D1 and KV bindings and its own binding of the storefront's
// RateLimiter class (see bench/runtime.ts). The floor itself (scenario 1) is the storefront's own
// `GET /__floor`, so it is measured in the same Worker, with the same settings, as every scenario,
// and so is the plain-Hono peer of catalog.get (scenario 10, `GET /__peer/product`, worker/bench-peer.ts).
//
// Worker code, so type-checked with the Worker's tsconfig.json (the rest of bench/ is Node code,
// tsconfig.node.json); esbuild bundles it.
//
//   GET /mw/<k>, /diag/*       cost attribution (below)
import { Hono, type Context } from "hono";
import { logger } from "../lib/log";
import type { AppEnv } from "../worker/app-env";
import { middlewareChain } from "../worker/middleware/chain";

const app = new Hono<AppEnv>();

// Cost attribution (not scenarios of the issue). /mw/<k>: GET /healthz's answer behind the first
// k middlewares of the storefront's chain (0 = none), to price each middleware.
// The same sub-apps are priced one request at a time by /diag/price (below).
const chainApps = Array.from({ length: middlewareChain.length + 1 }, (_, k) => {
  const sub = new Hono<AppEnv>();
  for (const mw of middlewareChain.slice(0, k)) sub.use(mw);
  return sub.get("/", (c) => c.json({ status: "ok" }));
});
chainApps.forEach((sub, k) => app.route(`/mw/${k}`, sub));

// One platform call each, no middleware.
app.get("/diag/kv", async (c) => {
  const version = (await c.env.CACHE.get("v:catalog")) ?? "0";
  const hit = await c.env.CACHE.get(`catalog:${version}:get:${c.req.query("slug")}`, "json");
  return c.json({ hit: hit !== null });
});
app.get("/diag/do", async (c) => {
  const d = await c.env.RATE_LIMITER.getByName(`diag|ip|${c.req.header("cf-connecting-ip")}`).check(1_000_000, 60);
  return c.json({ allowed: d.allowed });
});
app.get("/diag/d1", async (c) => {
  const row = await c.env.DB.prepare("select id, slug, price_cents from products where slug = ?1").bind(c.req.query("slug")).first();
  return c.json({ found: row !== null });
});
app.get("/diag/log", (c) => {
  logger.info("request", { path: c.req.path, status: 200 });
  return c.text("ok");
});

// /diag/price?op=&n=: one operation run n times inside a single request, so `npm run bench:price`
// can price it by workerd CPU without HTTP, Miniflare's entry Worker or load-generator noise.
const NINE = [
  "x-request-id",
  "server-timing",
  "content-security-policy",
  "strict-transport-security",
  "x-frame-options",
  "x-content-type-options",
  "referrer-policy",
  "cross-origin-resource-policy",
];
const withHeaders = (n: number) => {
  const headers = new Headers({ "content-type": "application/json" });
  for (const name of NINE.slice(0, n - 1)) headers.set(name, "a-value-of-some-thirty-characters");
  return new Response('{"status":"ok"}', { headers });
};
const priced: Record<string, (c: Context<AppEnv>) => unknown> = {
  nothing: () => 0,
  "log line": () =>
    logger.child({ requestId: "0f8fad5b-d9cb-469f-a165-70867728950e" }).info("request", { method: "GET", path: "/healthz", status: 200 }),
  "response, 1 header": () => withHeaders(1),
  "response, 9 headers": () => withHeaders(9),
  "response, 1 header, plus the copy Miniflare's entry makes of it": () => {
    const r = withHeaders(1);
    return new Response(r.body, r);
  },
  "response, 9 headers, plus the copy Miniflare's entry makes of it": () => {
    const r = withHeaders(9);
    return new Response(r.body, r);
  },
  "crypto.randomUUID": () => crypto.randomUUID(),
  "performance.now": () => performance.now(),
  "new Date().toISOString()": () => new Date().toISOString(),
  "JSON.stringify of a log line": () =>
    JSON.stringify({
      level: "info",
      event: "request",
      time: "2026-12-02T04:00:00.000Z",
      requestId: "0f8fad5b",
      method: "GET",
      status: 200,
    }),
  ...Object.fromEntries(
    chainApps.map((sub, k) => [
      `app.fetch through the first ${k} middlewares`,
      (c: Context<AppEnv>) => sub.fetch(new Request("http://bench/"), c.env, c.executionCtx),
    ]),
  ),
};
app.get("/diag/price", async (c) => {
  const op = priced[c.req.query("op") ?? ""];
  if (!op) return c.json({ ops: Object.keys(priced) }, 404);
  const n = Number(c.req.query("n") ?? 0);
  for (let i = 0; i < n; i++) await op(c);
  return c.json({ n });
});

app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}.` } }, 404));

export default { fetch: app.fetch };

// /diag/do's rate limiter: the storefront's own Durable Object class, bound in this Worker, so its
// calls are same-Worker calls like the storefront's (not cross-Worker RPC).
export { RateLimiter } from "../worker/rate-limiter";
