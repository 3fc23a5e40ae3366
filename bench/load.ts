// The load generator: one autocannon run per child process (bench/run.ts forks this file), so
// the generator has its own core and never shares an event loop with Miniflare's log handling.
// The parent sends one Spec over IPC; the child answers with one LoadResult and exits.
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { present } from "./present.ts";

export interface RequestSpec {
  method: "GET" | "POST";
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

interface BaseSpec {
  name: string;
  url: string;
  connections: number;
  seconds: number;
  /** Second octet of the rotated client addresses (10.<ipBase>.x.y), one per request. */
  ipBase: number;
  ipPool: number;
}

export type Spec = BaseSpec &
  (
    | { kind: "fixed"; requests: RequestSpec[] }
    | {
        kind: "uncached";
        procedure: string;
        inputs: unknown[];
        start: number;
        /** Cycle through the inputs again and again without a version bump (the edge-cache hit path). */
        repeat?: boolean;
      }
    | { kind: "login"; users: { email: string; password: string }[] }
    | { kind: "checkout"; users: { email: string; token: string }[]; products: string[]; runId: string }
  );

export interface LoadResult {
  name: string;
  seconds: number;
  requests: number;
  /** Responses per second over the measured window. */
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  status: Record<string, number>;
  /** Non-2xx responses plus socket errors and timeouts. */
  errors: number;
  socketErrors: number;
  n429: number;
  n5xx: number;
  /** How many responses reported N D1 round trips in Server-Timing (key N, "none" if absent). */
  d1RoundTrips: Record<string, number>;
  dbMsMean: number | null;
  cacheMsMean: number | null;
  /** CPU the generator itself used, in ms, and as a share of one core. */
  generatorCpuMs: number;
  generatorCoreShare: number;
  extra: Record<string, unknown>;
}

type Ctx = Record<string, unknown> & { t0?: number };
type Req = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer };

const SERVER_TIMING_DB = /db;dur=([\d.]+);desc="(\d+) D1 round trips"/;
const SERVER_TIMING_CACHE = /cache;dur=([\d.]+)/;
// The response tier's answer (worker/middleware/response-tier.ts): hit-memory, hit-cache, shared, miss, bypass.
const SERVER_TIMING_EDGE = /edge;desc="([a-z-]+)"/;

function percentile(sorted: Float64Array, p: number) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function runLoad(spec: Spec, send?: (message: unknown) => void): Promise<LoadResult> {
  const latencies: number[] = [];
  const d1RoundTrips: Record<string, number> = {};
  const edge: Record<string, number> = {};
  let dbMs = 0;
  let dbN = 0;
  let cacheMs = 0;
  let cacheN = 0;
  let ipCounter = 0;
  const extra: Record<string, unknown> = { edge };
  const nextIp = () => {
    const i = ipCounter++ % spec.ipPool;
    return `10.${spec.ipBase}.${(i >> 8) & 255}.${i & 255}`;
  };

  // Every request of every scenario goes through these two hooks, so the generator's own cost
  // is the same for the floor and for the heaviest scenario.
  const setup = (req: Req, ctx: Ctx, extraHeaders?: Record<string, string>): Req => {
    req.headers = { ...req.headers, ...extraHeaders, "cf-connecting-ip": nextIp() };
    ctx.t0 = performance.now();
    return req;
  };
  const record = (_status: number, ctx: Ctx, headers: Record<string, string | string[]>, label?: string) => {
    if (ctx.t0 !== undefined) latencies.push(performance.now() - ctx.t0);
    const timing = headers["server-timing"] ?? headers["Server-Timing"];
    const text = Array.isArray(timing) ? timing.join(",") : timing;
    const db = text ? SERVER_TIMING_DB.exec(text) : null;
    const key = `${label ? `${label}: ` : ""}${db ? db[2] : "none"}`;
    d1RoundTrips[key] = (d1RoundTrips[key] ?? 0) + 1;
    const tier = text ? SERVER_TIMING_EDGE.exec(text)?.[1] : undefined;
    if (tier) edge[tier] = (edge[tier] ?? 0) + 1;
    if (db) {
      dbMs += Number(db[1]);
      dbN++;
    }
    const cache = text ? SERVER_TIMING_CACHE.exec(text) : null;
    if (cache) {
      cacheMs += Number(cache[1]);
      cacheN++;
    }
  };

  let requests: autocannon.Request[];
  const json = { "content-type": "application/json" };

  if (spec.kind === "fixed") {
    const labelOf = (r: RequestSpec) => (spec.requests.length > 1 ? (/^\/trpc\/([^?]+)/.exec(r.path)?.[1] ?? r.path) : undefined);
    requests = spec.requests.map((r) => {
      const label = labelOf(r);
      return {
        method: r.method,
        path: r.path,
        body: r.body,
        headers: { ...(r.body ? json : {}), ...r.headers },
        setupRequest: (req: Req, ctx: object) => setup(req, ctx as Ctx),
        onResponse: (status: number, _body: string, ctx: object, headers: Record<string, string | string[]>) =>
          record(status, ctx as Ctx, headers, label),
      };
    }) as unknown as autocannon.Request[];
  } else if (spec.kind === "uncached") {
    // Walks through inputs no request has sent yet (continuing where the previous run stopped);
    // if it ever wraps around, the parent moves the catalog cache namespace to a new version.
    let n = spec.start;
    let bumps = 0;
    requests = [
      {
        method: "GET",
        setupRequest: (req: Req, ctx: object) => {
          const i = n++ % spec.inputs.length;
          if (i === 0 && n > spec.start + 1 && !spec.repeat) {
            bumps++;
            send?.({ type: "bump" });
          }
          req.path = `/trpc/${spec.procedure}?input=${encodeURIComponent(JSON.stringify({ json: spec.inputs[i] }))}`;
          return setup(req, ctx as Ctx);
        },
        onResponse: (status: number, _body: string, ctx: object, headers: Record<string, string | string[]>) =>
          record(status, ctx as Ctx, headers),
      },
    ] as unknown as autocannon.Request[];
    extra.bumps = () => bumps;
    extra.next = () => n;
  } else if (spec.kind === "login") {
    let n = 0;
    const tokens: Record<string, string> = {};
    requests = [
      {
        method: "POST",
        path: "/trpc/auth.login",
        headers: json,
        setupRequest: (req: Req, ctx: object) => {
          const user = present(spec.users[n++ % spec.users.length], "login user");
          (ctx as Ctx).email = user.email;
          req.body = JSON.stringify({ json: { email: user.email, password: user.password } });
          return setup(req, ctx as Ctx);
        },
        onResponse: (status: number, body: string, ctx: object, headers: Record<string, string | string[]>) => {
          record(status, ctx as Ctx, headers);
          if (status === 200) {
            const token = (JSON.parse(body) as { result: { data: { json: { accessToken: string } } } }).result.data.json.accessToken;
            tokens[String((ctx as Ctx).email)] = token;
          }
        },
      },
    ] as unknown as autocannon.Request[];
    extra.tokens = () => tokens;
  } else {
    // Each pass: take the next user (round robin over many, so no two connections share a cart
    // and no user passes its own rate limits), add one product, place the order.
    let n = 0;
    let orders = 0;
    const refusals: Record<string, number> = {};
    const address = {
      name: "Bench Shopper",
      line1: "1 Load Street",
      city: "Springfield",
      region: "OR",
      postalCode: "12345",
      country: "US",
    };
    requests = [
      {
        method: "POST",
        path: "/trpc/cart.addItem",
        headers: json,
        setupRequest: (req: Req, ctx: object) => {
          const c = ctx as Ctx;
          const k = n++;
          const user = present(spec.users[k % spec.users.length], "checkout user");
          c.user = user;
          c.k = k;
          req.body = JSON.stringify({ json: { productId: spec.products[k % spec.products.length], quantity: 1 } });
          return setup(req, c, { authorization: `Bearer ${user.token}` });
        },
        onResponse: (status: number, _body: string, ctx: object, headers: Record<string, string | string[]>) =>
          record(status, ctx as Ctx, headers, "cart.addItem"),
      },
      {
        method: "POST",
        path: "/trpc/checkout.placeOrder",
        headers: json,
        setupRequest: (req: Req, ctx: object) => {
          const c = ctx as Ctx & { user: { token: string }; k: number };
          req.body = JSON.stringify({
            json: { idempotencyKey: `bench-${spec.runId}-${c.k}`, shippingAddress: address, paymentToken: "tok_visa" },
          });
          return setup(req, c, { authorization: `Bearer ${c.user.token}` });
        },
        onResponse: (status: number, body: string, ctx: object, headers: Record<string, string | string[]>) => {
          record(status, ctx as Ctx, headers, "checkout.placeOrder");
          if (status === 200) orders++;
          else {
            let reason = String(status);
            try {
              const data = (JSON.parse(body) as { error?: { json?: { data?: { reason?: string; code?: string } } } }).error?.json?.data;
              reason = `${status}:${data?.reason ?? data?.code ?? "?"}`;
            } catch {
              // not JSON
            }
            refusals[reason] = (refusals[reason] ?? 0) + 1;
          }
        },
      },
    ] as unknown as autocannon.Request[];
    extra.orders = () => orders;
    extra.placeOrderRefusals = () => refusals;
  }

  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    pipelining: 1,
    timeout: 30,
    requests,
  });
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;

  const sorted = Float64Array.from(latencies).sort();
  const status: Record<string, number> = {};
  let n429 = 0;
  let n5xx = 0;
  let non2xx = 0;
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {}) as [string, { count: number }][]) {
    status[code] = count;
    if (code === "429") n429 += count;
    if (Number(code) >= 500) n5xx += count;
    if (Number(code) < 200 || Number(code) >= 300) non2xx += count;
  }
  const responses = Object.values(status).reduce((a, b) => a + b, 0);
  const resolvedExtra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extra)) resolvedExtra[k] = typeof v === "function" ? (v as () => unknown)() : v;
  return {
    name: spec.name,
    seconds: result.duration,
    requests: responses,
    rps: responses / result.duration,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0,
      max: sorted.at(-1) ?? 0,
    },
    status,
    errors: non2xx + result.errors + result.timeouts,
    socketErrors: result.errors + result.timeouts,
    n429,
    n5xx,
    d1RoundTrips,
    dbMsMean: dbN ? dbMs / dbN : null,
    cacheMsMean: cacheN ? cacheMs / cacheN : null,
    generatorCpuMs: cpuMs,
    generatorCoreShare: cpuMs / wallMs,
    extra: resolvedExtra,
  };
}

// As a child process: one run per process.
if (process.send) {
  process.once("message", (spec: Spec) => {
    runLoad(spec, (m) => process.send?.(m))
      .then((result) => process.send?.({ type: "result", result }, () => process.exit(0)))
      .catch((error: unknown) => process.send?.({ type: "error", error: String((error as Error)?.stack ?? error) }, () => process.exit(1)));
  });
}
