// `npm run bench`: builds the Worker, runs it in workerd on 127.0.0.1 with fresh seeded data,
// drives every scenario with autocannon and writes bench/results/latest.json and the results
// table in BENCHMARKS.md. `npm run bench:smoke` does the same with 2-second runs and writes
// bench/results/smoke.json only. Benchmarks are not tests: nothing here fails on a timing.
//
// Environment: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (16),
// BENCH_CHECKOUT_USERS (200), BENCH_RACE_USERS (50), BENCH_RACE_STOCK (10), BENCH_PORT (8790),
// BENCH_ONLY (comma-separated scenario ids, e.g. "1,3,10"), BENCH_SMOKE=1.
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { seedSql } from "../scripts/seed.ts";
import type { LoadResult, RequestSpec, Spec } from "./load.ts";
import { ok, d1Trips, login, pool, trpc, type AuthResult, type Call } from "./calls.ts";
import { present } from "./present.ts";
import { renderTable, writeBenchmarksMd, type LoginCpu } from "./report.ts";
import { argon2idNode, clientBundle, gzip, machine, versions, workerComposition } from "./static.ts";
import {
  PERSIST_DIR,
  ROOT,
  buildFloorWorker,
  buildWorker,
  d1,
  kv,
  migrateAndSeed,
  startRuntime,
  workerdCpuMs,
  CLK_TCK,
  type BuildInfo,
  type Runtime,
} from "./runtime.ts";

const env = process.env;
const SMOKE = env.BENCH_SMOKE === "1";
const num = (name: string, fallback: number) => (env[name] !== undefined && env[name] !== "" ? Number(env[name]) : fallback);
const SECONDS = num("BENCH_SECONDS", SMOKE ? 2 : 10);
const WARMUP = num("BENCH_WARMUP_SECONDS", SMOKE ? 0.5 : 2);
const CONNECTIONS = num("BENCH_CONNECTIONS", 16);
const CHECKOUT_USERS = num("BENCH_CHECKOUT_USERS", SMOKE ? 60 : 200);
const RACE_USERS = num("BENCH_RACE_USERS", SMOKE ? 20 : 50);
const RACE_STOCK = num("BENCH_RACE_STOCK", 10);
const EXTRA_PRODUCTS = num("BENCH_UNCACHED_PRODUCTS", SMOKE ? 3000 : 20000);
const PORT = num("BENCH_PORT", 8790);
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(",").map((s) => s.trim())) : null;
const PASSWORD = "Bench-Pass-1234";
// Client addresses rotated per request (10.<scenario>.x.y), so the per-IP read limit (600/min)
// never turns a run into 429s; the warm-up touches every address, so each address's
// RateLimiter Durable Object exists before the measured window.
const IP_POOL = 128;
const ATTRIBUTION = env.BENCH_ATTRIBUTION !== "0";
// On a shared machine, wait (up to BENCH_QUIET_WAIT_SECONDS) before each run until other
// processes use less than BENCH_QUIET_CORES; every result also reports what others used.
const QUIET_CORES = num("BENCH_QUIET_CORES", 0.3);
const QUIET_WAIT = num("BENCH_QUIET_WAIT_SECONDS", SMOKE ? 0 : 20);
const SETTLE = num("BENCH_SETTLE_SECONDS", SMOKE ? 0 : 3);
// Each scenario's ratio uses a floor measured right before it (BENCH_FLOOR_SECONDS long), so a
// neighbour's load that comes and goes shifts both sides of the ratio alike.
const FLOOR_SECONDS = num("BENCH_FLOOR_SECONDS", SMOKE ? 1 : 4);
const ATTRIBUTION_SECONDS = num("BENCH_ATTRIBUTION_SECONDS", SMOKE ? 1 : 8);
const RESULTS_DIR = join(ROOT, "bench", "results");
// The storefront's own floor route (worker/app.ts): a constant, before any middleware.
const FLOOR_PATH = "/__floor";

const log = (...args: unknown[]) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

// ---------------------------------------------------------------------------------------------
// Processes we start, and how they are stopped on every way out.
let runtime: Runtime | null = null;
const children = new Set<ChildProcess>();
let stopping: Promise<void> | null = null;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const child of children) if (child.pid && child.exitCode === null) child.kill("SIGKILL");
    children.clear();
    if (runtime) {
      const rt = runtime;
      runtime = null;
      await rt.stop().catch((e: unknown) => console.error("stopping the runtime:", e));
    }
  })();
  return stopping;
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping everything the benchmark started…`);
    void stopAll().finally(() => process.exit(130));
  });
}
process.on("uncaughtException", (error) => {
  console.error(error);
  void stopAll().finally(() => process.exit(1));
});

// ---------------------------------------------------------------------------------------------
// Measuring helpers.

/** Busy CPU time of the whole machine so far (ms, all cores), from /proc/stat. */
function machineBusyMs(): number {
  const [cpuLine = ""] = readFileSync("/proc/stat", "utf8").split("\n");
  const fields = cpuLine.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return ((total - idle) * 1000) / CLK_TCK;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the rest of the machine is quiet and workerd itself has gone idle (its background
 * work from the previous run, such as waitUntil writes and Durable Object eviction, would
 * otherwise be charged to the next run), or the wait budget is spent; returns seconds waited.
 */
async function waitForQuiet(rt: Runtime): Promise<number> {
  if (QUIET_WAIT <= 0) return 0;
  const t0 = performance.now();
  await sleep(SETTLE * 1000);
  let quietSeconds = 0;
  for (;;) {
    const busy0 = machineBusyMs();
    const cpu0 = workerdCpuMs(rt);
    await sleep(1000);
    const own = (workerdCpuMs(rt) - cpu0) / 1000;
    const others = (machineBusyMs() - busy0) / 1000 - own;
    quietSeconds = others <= QUIET_CORES && own <= 0.05 ? quietSeconds + 1 : 0;
    const waited = (performance.now() - t0) / 1000;
    if (quietSeconds >= 2 || waited >= QUIET_WAIT) return waited;
  }
}

function runChild(spec: Spec, onBump?: () => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(ROOT, "bench", "load.ts"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    children.add(child);
    let settled = false;
    child.on("message", (m: { type: string; result?: LoadResult; error?: string }) => {
      if (m.type === "bump") onBump?.();
      else if (m.type === "result" && m.result) {
        settled = true;
        resolve(m.result);
      } else if (m.type === "error") {
        settled = true;
        reject(new Error(m.error));
      }
    });
    child.on("exit", (code) => {
      children.delete(child);
      if (!settled) reject(new Error(`load generator exited with ${code}`));
    });
    child.send(spec);
  });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type SpecInput = DistributiveOmit<Spec, "url" | "connections" | "seconds" | "name" | "ipPool"> & { connections?: number; ipPool?: number };

interface Scenario {
  id: string;
  title: string;
  result: LoadResult;
  workerdCpuMsPerRequest: number;
  workerdCoreShare: number;
  /** CPU used meanwhile by everything else on the machine (other users' processes), in cores. */
  otherCores: number;
  loadavg: number;
  waitedSeconds: number;
  /** The mean of the floors measured just before and just after this scenario (both kept). */
  pairedFloor?: FloorSample & { before?: FloorSample; after?: FloorSample };
  /** Requests that make one unit of work (10 for "ten separate requests"). */
  perUnit?: number;
  notes?: string[];
}

const scenarios: Scenario[] = [];
const attribution: Scenario[] = [];
const pairedFloors: Scenario[] = [];

interface FloorSample {
  rps: number;
  p99: number;
  cpuMsPerRequest: number;
}

async function measureFloor(rt: Runtime, pairedWith: string): Promise<FloorSample> {
  const f = await measure(
    rt,
    "f",
    `floor paired with ${pairedWith}`,
    { kind: "fixed", requests: [{ method: "GET", path: FLOOR_PATH }], ipBase: 1 },
    { pairFloor: false, warmup: false, seconds: FLOOR_SECONDS, into: pairedFloors, quiet: true },
  );
  return { rps: f.result.rps, p99: f.result.latencyMs.p99, cpuMsPerRequest: f.workerdCpuMsPerRequest };
}

async function measure(
  rt: Runtime,
  id: string,
  title: string,
  spec: SpecInput,
  options: {
    warmup?: boolean;
    onBump?: () => void;
    beforeRun?: () => Promise<void>;
    perUnit?: number;
    notes?: string[];
    seconds?: number;
    into?: Scenario[];
    pairFloor?: boolean;
    quiet?: boolean;
  } = {},
): Promise<Scenario> {
  const waited = options.quiet ? 0 : await waitForQuiet(rt);
  let pairedFloor: Scenario["pairedFloor"];
  if (options.pairFloor !== false) pairedFloor = await measureFloor(rt, id);
  const base = { url: rt.url, connections: spec.connections ?? CONNECTIONS, ipPool: spec.ipPool ?? IP_POOL, name: `${id} ${title}` };
  if (options.warmup !== false && WARMUP > 0) {
    await options.beforeRun?.();
    await runChild({ ...spec, ...base, seconds: WARMUP }, options.onBump);
  }
  await options.beforeRun?.();
  const cpu0 = workerdCpuMs(rt);
  const busy0 = machineBusyMs();
  const t0 = performance.now();
  const result = await runChild({ ...spec, ...base, seconds: options.seconds ?? SECONDS }, options.onBump);
  const wall = performance.now() - t0;
  const cpu = workerdCpuMs(rt) - cpu0;
  const others = machineBusyMs() - busy0 - cpu - result.generatorCpuMs;
  // Floor, scenario, floor: the ratio uses the mean of the floors on either side, so a drift of
  // the machine during the scenario moves both and the ratio stops scattering.
  if (pairedFloor) {
    const after = await measureFloor(rt, `${id} (after)`);
    pairedFloor = {
      rps: (pairedFloor.rps + after.rps) / 2,
      p99: (pairedFloor.p99 + after.p99) / 2,
      cpuMsPerRequest: (pairedFloor.cpuMsPerRequest + after.cpuMsPerRequest) / 2,
      before: { rps: pairedFloor.rps, p99: pairedFloor.p99, cpuMsPerRequest: pairedFloor.cpuMsPerRequest },
      after,
    };
  }
  const scenario: Scenario = {
    id,
    title,
    result,
    workerdCpuMsPerRequest: result.requests ? cpu / result.requests : 0,
    workerdCoreShare: cpu / wall,
    otherCores: Math.max(0, others / wall),
    loadavg: loadavg()[0] ?? 0,
    waitedSeconds: waited,
    pairedFloor,
    perUnit: options.perUnit,
    notes: options.notes,
  };
  (options.into ?? scenarios).push(scenario);
  const r = result;
  if (!options.quiet)
    log(
      `${id.padEnd(4)} ${title.padEnd(44)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.latencyMs.p50.toFixed(2)} ms  p99 ${r.latencyMs.p99.toFixed(2)} ms  errors ${r.errors}` +
        `  workerd ${scenario.workerdCpuMsPerRequest.toFixed(2)} ms CPU/req (${scenario.workerdCoreShare.toFixed(2)} cores)  gen ${r.generatorCoreShare.toFixed(2)}  others ${scenario.otherCores.toFixed(2)} cores`,
    );
  return scenario;
}

// ---------------------------------------------------------------------------------------------
const want = (id: string) => !ONLY || ONLY.has(id);

async function main() {
  const startedAt = new Date();
  const runId = randomUUID().slice(0, 8);
  log(`mode ${SMOKE ? "smoke" : "full"}: ${SECONDS} s per scenario after ${WARMUP} s warm-up, ${CONNECTIONS} connections, port ${PORT}`);

  log("building the Worker (wrangler deploy --dry-run --minify) …");
  const worker: BuildInfo = buildWorker(gzip);
  log(
    `Worker bundle: ${(worker.bundleBytes / 1024).toFixed(1)} KiB minified, ${(worker.bundleGzipBytes / 1024).toFixed(1)} KiB gzipped (+ ${(worker.wasmGzipBytes / 1024).toFixed(1)} KiB gzipped wasm)`,
  );
  const client = await clientBundle();
  log(`client bundle: ${(client.bytes / 1024).toFixed(1)} KiB minified, ${(client.gzipBytes / 1024).toFixed(1)} KiB gzipped`);
  const composition = await workerComposition();
  await buildFloorWorker();
  const argon = await argon2idNode(PASSWORD);
  log(`Argon2id in Node (same WASM and parameters): ${argon.msPerHash.toFixed(1)} ms per hash`);

  log(`starting workerd (Miniflare) with fresh state in ${PERSIST_DIR} …`);
  const rt = await startRuntime(PORT);
  runtime = rt;
  log(`serving on ${rt.url}; workerd pid(s) ${rt.workerdPids().join(", ")}`);
  await migrateAndSeed(rt, seedSql);
  const db = await d1(rt);
  const cache = await kv(rt);

  // Bench accounts, inserted like the seed does (one precomputed Argon2id hash for all).
  const nUsers = CHECKOUT_USERS + RACE_USERS;
  const benchUsers = Array.from({ length: nUsers }, (_, i) => ({ id: randomUUID(), email: `bench${i}@bench.local`, password: PASSWORD }));
  for (let i = 0; i < benchUsers.length; i += 100) {
    await db.batch(
      benchUsers.slice(i, i + 100).map((u, j) =>
        db
          .prepare("insert into users (id, email, name, password_hash, role) values (?1, ?2, ?3, ?4, 'customer')")
          // The name says which pool a user is in: A (checkout throughput) or B (the race).
          .bind(u.id, u.email, `Bench ${i + j < CHECKOUT_USERS ? "A" : "B"} ${i + j}`, argon.phc),
      ),
    );
  }
  // Scenario 4's own products: enough distinct slugs that no read in a run finds its slug cached.
  // In their own category, oldest and dearest, so no list the other scenarios read shows them.
  await db.batch([
    db.prepare("insert into categories (id, slug, name) values ('bench-category', 'bench', 'Bench')"),
    db
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?1)
       insert into products (id, slug, name, description, category_id, price_cents, stock, created_at)
       select 'bench-product-' || i, 'bench-item-' || i, 'Bench Item ' || i, 'A product that exists to be read once.', 'bench-category', 99999999, 100, 1 from n`,
      )
      .bind(EXTRA_PRODUCTS),
  ]);
  const uncachedSlugs = Array.from({ length: EXTRA_PRODUCTS }, (_, i) => ({ slug: `bench-item-${i + 1}` }));
  // Scenario 12's searches, each sent once so each is a cache miss that runs the FTS5 query: a word
  // every bench product has and a rare one ("item 1234" matches Bench Item 1234 and 12340–12349,
  // at most 11 products: the numbers stop at a tenth of the largest).
  const uncachedSearches = Array.from({ length: EXTRA_PRODUCTS - Math.floor(EXTRA_PRODUCTS / 10) }, (_, i) => ({
    q: `item ${EXTRA_PRODUCTS - i}`,
  }));
  const products = (
    await db
      .prepare("select id, slug, stock from products where status = 'active' and category_id <> 'bench-category' order by slug")
      .all<{ id: string; slug: string; stock: number }>()
  ).results;
  const hot = present(products.find((p) => p.stock > 20) ?? products[0], "an active product");
  log(`${products.length} active products; ${benchUsers.length} bench users; hot product ${hot.slug}`);

  const admin = await login(rt, "admin@storefront.local", "Admin-Storefront-1");
  const alice = await login(rt, "alice@storefront.local", "Alice-Storefront-1");
  for (const p of products.filter((p) => p.stock > 20).slice(0, 3)) {
    await ok(trpc(rt, "cart.addItem", { productId: p.id, quantity: 1 }, { token: alice.accessToken, mutation: true }), "alice addItem");
  }
  // Warm every cache the hot reads use.
  const getPath = (slug: string) => `/trpc/catalog.get?input=${encodeURIComponent(JSON.stringify({ json: { slug } }))}`;
  const listPath = `/trpc/catalog.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`;
  const searchPath = `/trpc/catalog.list?input=${encodeURIComponent(JSON.stringify({ json: { q: "kettle" } }))}`;
  const get = (path: string, headers?: Record<string, string>): RequestSpec => ({ method: "GET", path, headers });

  // The ten queries of scenario 7 (a product page and its neighbours).
  const [a, b, c] = products.filter((p) => p.stock > 20);
  if (!a || !b || !c) throw new Error("bench: the seed has fewer than three products with more than 20 in stock");
  const ten: [string, unknown][] = [
    ["catalog.categories", undefined],
    ["catalog.list", {}],
    ["catalog.list", { category: "audio" }],
    ["catalog.list", { sort: "price_asc" }],
    ["catalog.get", { slug: a.slug }],
    ["catalog.get", { slug: b.slug }],
    ["catalog.get", { slug: c.slug }],
    ["catalog.recommendations", { productId: a.id }],
    ["reviews.list", { productId: a.id }],
    ["reviews.list", { productId: b.id }],
  ];
  const single = (proc: string, input: unknown) =>
    `/trpc/${proc}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;
  const batchInput = Object.fromEntries(ten.map(([, input], i) => [String(i), input === undefined ? {} : { json: input }]));
  const batchPath = `/trpc/${ten.map(([p]) => p).join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(batchInput))}`;

  // D1 round trips per procedure, from Server-Timing, one call each (caches warm unless noted).
  const probes: { procedure: string; status: number; d1RoundTrips: number | null; note?: string }[] = [];
  const probe = async (procedure: string, call: () => Promise<Call>, note?: string) => {
    const c = await call();
    probes.push({ procedure, status: c.status, d1RoundTrips: d1Trips(c.serverTiming), note });
  };
  await probe("GET /healthz", async () => {
    const r = await fetch(`${rt.url}/healthz`);
    await r.text();
    return { status: r.status, body: null, serverTiming: r.headers.get("server-timing"), ms: 0 };
  });
  await cache.put("v:catalog", randomUUID());
  await probe("catalog.get", () => trpc(rt, "catalog.get", { slug: hot.slug }), "cache miss");
  await probe("catalog.get", () => trpc(rt, "catalog.get", { slug: hot.slug }), "cache hit");
  await probe("catalog.list", () => trpc(rt, "catalog.list", {}), "cache miss");
  await probe("catalog.list", () => trpc(rt, "catalog.list", {}), "cache hit");
  await probe("catalog.list search", () => trpc(rt, "catalog.list", { q: "kettle" }), "cache miss");
  await probe("catalog.list search", () => trpc(rt, "catalog.list", { q: "kettle" }), "cache hit");
  await probe("catalog.categories", () => trpc(rt, "catalog.categories", undefined), "cache miss");
  await probe("catalog.recommendations", () => trpc(rt, "catalog.recommendations", { productId: a.id }), "cache miss");
  await probe("reviews.list", () => trpc(rt, "reviews.list", { productId: a.id }), "cache miss");
  await probe("reviews.list", () => trpc(rt, "reviews.list", { productId: a.id }), "cache hit");
  await probe("cart.get", () => trpc(rt, "cart.get", undefined, { token: alice.accessToken }), "session cached in the isolate");
  await probe("auth.me", () => trpc(rt, "auth.me", undefined, { token: alice.accessToken }));
  await probe("auth.login", () =>
    trpc(rt, "auth.login", { email: "bob@storefront.local", password: "Bob-Storefront-1" }, { mutation: true }),
  );
  const bob = (await trpc(rt, "auth.login", { email: "bob@storefront.local", password: "Bob-Storefront-1" }, { mutation: true }))
    .body as AuthResult;
  await probe(
    "cart.addItem",
    () => trpc(rt, "cart.addItem", { productId: a.id, quantity: 1 }, { token: bob.accessToken, mutation: true }),
    "first call of a new session: + 1 for the session check",
  );
  await probe(
    "cart.addItem",
    () => trpc(rt, "cart.addItem", { productId: a.id, quantity: 1 }, { token: bob.accessToken, mutation: true }),
    "session cached in the isolate",
  );
  await probe("checkout.placeOrder", () =>
    trpc(
      rt,
      "checkout.placeOrder",
      {
        idempotencyKey: `probe-${runId}`,
        shippingAddress: { name: "Bob", line1: "1 Road", city: "Town", postalCode: "1", country: "US" },
        paymentToken: "tok_visa",
      },
      { token: bob.accessToken, mutation: true },
    ),
  );
  await probe(
    `batch of the ten queries of scenario 7`,
    async () => {
      const r = await fetch(`${rt.url}${batchPath}`, { headers: { "cf-connecting-ip": "10.251.0.1" } });
      await r.text();
      return { status: r.status, body: null, serverTiming: r.headers.get("server-timing"), ms: 0 };
    },
    "caches warm",
  );
  for (const p of probes) log(`D1 round trips: ${p.procedure}${p.note ? ` (${p.note})` : ""}: ${p.d1RoundTrips} [HTTP ${p.status}]`);

  // ---- Scenarios ----------------------------------------------------------------------------
  const fixed = (requests: RequestSpec[], ipBase: number) => ({ kind: "fixed" as const, requests, ipBase });
  if (want("1")) await measure(rt, "1", "floor: GET /__floor (before any middleware)", fixed([get(FLOOR_PATH)], 1), { pairFloor: false });
  if (want("2")) await measure(rt, "2", "GET /healthz (whole middleware chain)", fixed([get("/healthz")], 1));
  if (want("3")) await measure(rt, "3", "catalog.get, served from cache", fixed([get(getPath(hot.slug))], 1));
  if (want("10")) await measure(rt, "10", "peer: plain Hono GET /peer/product (cached)", fixed([get(`/peer/product?slug=${hot.slug}`)], 1));
  if (want("5")) await measure(rt, "5", "catalog.list first page (cached)", fixed([get(listPath)], 1));
  if (want("11")) await measure(rt, "11", "catalog.list search (cached)", fixed([get(searchPath)], 1));
  if (want("6")) {
    await measure(
      rt,
      "6",
      "cart.get signed in (JWT verify + D1)",
      fixed([get("/trpc/cart.get", { authorization: `Bearer ${alice.accessToken}` })], 1),
    );
  }
  if (want("7")) {
    await measure(rt, "7a", "ten queries in one batched request", fixed([get(batchPath)], 1), { perUnit: 1 });
    await measure(
      rt,
      "7b",
      "the same ten as separate requests",
      fixed(
        ten.map(([p, input]) => get(single(p, input))),
        1,
      ),
      { perUnit: 10 },
    );
  }

  // ---- 13: the edge-cache hit path ---------------------------------------------------------
  if (want("13")) {
    // More keys than the response tier keeps in memory (500), walked by all connections through
    // one shared counter: nearly every request misses the isolate's memory and is answered from
    // the data centre's Cache API, before tRPC runs. Stored by one pass over them first.
    const edgeSlugs = uncachedSlugs.slice(-Math.min(2000, Math.floor(EXTRA_PRODUCTS / 2)));
    await pool(edgeSlugs, 8, async (p) => {
      const r = await fetch(`${rt.url}${getPath(p.slug)}`, { headers: { "cf-connecting-ip": "10.252.0.1" } });
      await r.text();
    });
    const s = await measure(rt, "13", "catalog.get, edge-cache hit (Cache API)", {
      kind: "uncached",
      procedure: "catalog.get",
      inputs: edgeSlugs,
      start: 0,
      repeat: true,
      ipBase: 1,
    });
    s.notes = [`response tier answers (Server-Timing edge): ${JSON.stringify(s.result.extra.edge)}; ${edgeSlugs.length} keys`];
  }

  // ---- 14: read-after-write with a bookmark -------------------------------------------------
  if (want("14")) {
    // What @storefront/client sends after a write: the write's bookmark, on the next read.
    const write = await fetch(`${rt.url}/trpc/cart.addItem`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${alice.accessToken}`, "cf-connecting-ip": "10.253.0.1" },
      body: JSON.stringify({ json: { productId: a.id, quantity: 1 } }),
    });
    await write.text();
    const bookmark = write.headers.get("x-d1-bookmark");
    if (!bookmark) throw new Error("bench: a write answered without x-d1-bookmark");
    const s = await measure(
      rt,
      "14",
      "cart.get with the write's x-d1-bookmark",
      fixed([get("/trpc/cart.get", { authorization: `Bearer ${alice.accessToken}`, "x-d1-bookmark": bookmark })], 1),
    );
    s.notes = [`bookmark sent: ${bookmark}; compare D1 round trips with scenario 6 (the same read without one)`];
  }

  // ---- 8: auth.login ------------------------------------------------------------------------
  let loginCpu: LoginCpu | null = null;
  const tokens = new Map<string, string>();
  if (want("8") || want("9")) {
    const loginUsers = benchUsers.map((u) => ({ email: u.email, password: u.password }));
    if (want("8")) {
      const s = await measure(
        rt,
        "8",
        "auth.login (Argon2id)",
        { kind: "login", users: loginUsers, ipBase: 20, ipPool: 4096 },
        { warmup: false },
      );
      for (const [email, token] of Object.entries(s.result.extra.tokens as Record<string, string>)) tokens.set(email, token);
      delete s.result.extra.tokens;

      // CPU per call, measured sequentially (one call in flight) from workerd's own CPU time.
      const n = SMOKE ? 8 : 30;
      const seq = async (label: string, make: (i: number) => Promise<Call>) => {
        await make(-1);
        const cpu0 = workerdCpuMs(rt);
        let ms = 0;
        for (let i = 0; i < n; i++) ms += (await make(i)).ms;
        return { label, cpuMs: (workerdCpuMs(rt) - cpu0) / n, latencyMs: ms / n };
      };
      const real = await seq("login", (i) => {
        const user = present(benchUsers[(i + benchUsers.length) % benchUsers.length], "bench user");
        return trpc(rt, "auth.login", { email: user.email, password: PASSWORD }, { mutation: true });
      });
      const rejected = await seq("login rejected by input validation", (i) =>
        trpc(rt, "auth.login", { email: `nobody${i}-${runId}@bench.local`, password: "" }, { mutation: true }),
      );
      loginCpu = {
        loginCpuMs: real.cpuMs,
        loginLatencyMs: real.latencyMs,
        rejectedCpuMs: rejected.cpuMs,
        rejectedLatencyMs: rejected.latencyMs,
        hashAndSessionCpuMs: real.cpuMs - rejected.cpuMs,
        argon2idNodeMs: argon.msPerHash,
        samples: n,
      };
      s.notes = [
        `CPU per login ${real.cpuMs.toFixed(1)} ms (workerd process CPU, ${n} sequential logins); the same request refused by input validation costs ${rejected.cpuMs.toFixed(1)} ms, so hashing + token + session ≈ ${(real.cpuMs - rejected.cpuMs).toFixed(1)} ms; Argon2id alone in Node: ${argon.msPerHash.toFixed(1)} ms`,
      ];
      log(s.notes[0]);
    }
  }

  // ---- 9: checkout --------------------------------------------------------------------------
  let checkout: Record<string, unknown> | null = null;
  if (want("9")) {
    const poolA = benchUsers.slice(0, CHECKOUT_USERS);
    const poolB = benchUsers.slice(CHECKOUT_USERS);
    const missing = benchUsers.filter((u) => !tokens.has(u.email));
    log(`signing in ${missing.length} checkout users …`);
    await pool(missing, 2, async (u) => tokens.set(u.email, (await login(rt, u.email, u.password)).accessToken));

    // Phase A: throughput. 50 products with plenty of stock; each pass adds one and checks out.
    const stocked = products.filter((p) => p.id !== a.id && p.id !== b.id && p.id !== c.id && p.id !== hot.id).slice(0, 50);
    const BIG = 1_000_000;
    for (const p of stocked)
      await ok(
        trpc(rt, "admin.products.setStock", { productId: p.id, stock: BIG }, { token: admin.accessToken, mutation: true }),
        "setStock",
      );
    const s = await measure(
      rt,
      "9",
      "checkout: cart.addItem + checkout.placeOrder",
      {
        kind: "checkout",
        users: poolA.map((u) => ({ email: u.email, token: tokens.get(u.email) as string })),
        products: stocked.map((p) => p.id),
        runId,
        ipBase: 30,
      },
      { perUnit: 2 },
    );
    // The warm-up placed orders too; D1 is the ground truth for all of them.
    const ids = stocked.map((p) => p.id);
    const marks = ids.map((_, i) => `?${i + 1}`).join(",");
    const stockNow =
      (
        await db
          .prepare(`select sum(stock) as s from products where id in (${marks})`)
          .bind(...ids)
          .first<{ s: number }>()
      )?.s ?? 0;
    const paid = await db
      .prepare(
        "select count(distinct o.id) as orders, coalesce(sum(ol.quantity), 0) as units from orders o join order_lines ol on ol.order_id = o.id join users u on u.id = o.user_id where o.status = 'paid' and u.name like 'Bench A %'",
      )
      .first<{ orders: number; units: number }>();
    const negative = (await db.prepare("select count(*) as n from products where stock < 0").first<{ n: number }>())?.n ?? 0;
    const sold = BIG * ids.length - stockNow;
    const ordersPerSecond = (s.result.extra.orders as number) / s.result.seconds;

    // Phase B: the race. RACE_USERS shoppers, one product with RACE_STOCK units, all at once.
    const raceable = products.find((p) => !ids.includes(p.id) && p.id !== a.id && p.id !== hot.id && p.stock > 20);
    const contested = present(raceable, "a product to race for");
    await ok(
      trpc(rt, "admin.products.setStock", { productId: contested.id, stock: RACE_STOCK }, { token: admin.accessToken, mutation: true }),
      "setStock",
    );
    await pool(poolB, 8, (u) =>
      ok(
        trpc(rt, "cart.addItem", { productId: contested.id, quantity: 1 }, { token: tokens.get(u.email), mutation: true }),
        "race addItem",
      ),
    );
    const address = { name: "Racer", line1: "2 Race Road", city: "Springfield", postalCode: "12345", country: "US" };
    const race = await Promise.all(
      poolB.map((u, i) =>
        trpc(
          rt,
          "checkout.placeOrder",
          { idempotencyKey: `race-${runId}-${i}`, shippingAddress: address, paymentToken: "tok_visa" },
          { token: tokens.get(u.email), mutation: true },
        ),
      ),
    );
    const raceStatus: Record<string, number> = {};
    for (const r of race) {
      const reason =
        r.status === 200
          ? "200"
          : `${r.status}:${(r.body as { error?: { json?: { data?: { reason?: string } } } })?.error?.json?.data?.reason ?? "?"}`;
      raceStatus[reason] = (raceStatus[reason] ?? 0) + 1;
    }
    const raceWon = race.filter((r) => r.status === 200).length;
    const race5xx = race.filter((r) => r.status >= 500).length;
    const adminView = await ok<{ stock: number }>(
      trpc(rt, "admin.products.get", { id: contested.id }, { token: admin.accessToken }),
      "admin.products.get",
    );
    const soldContested =
      (
        await db
          .prepare(
            "select coalesce(sum(ol.quantity), 0) as n from order_lines ol join orders o on o.id = ol.order_id join users u on u.id = o.user_id where o.status = 'paid' and ol.product_id = ?1 and u.name like 'Bench B %'",
          )
          .bind(contested.id)
          .first<{ n: number }>()
      )?.n ?? 0;
    checkout = {
      ordersPerSecond,
      ordersInWindow: s.result.extra.orders,
      placeOrderRefusals: s.result.extra.placeOrderRefusals,
      users: poolA.length,
      products: ids.length,
      d1: { paidOrders: paid?.orders, unitsInPaidOrders: paid?.units, stockDecrease: sold, productsWithNegativeStock: negative },
      conservation: sold === paid?.units && negative === 0,
      race: {
        users: poolB.length,
        stock: RACE_STOCK,
        won: raceWon,
        status: raceStatus,
        fiveHundreds: race5xx,
        stockAfter: adminView.stock,
        soldPerD1: soldContested,
      },
      noOversell: raceWon === RACE_STOCK && adminView.stock === 0 && soldContested === RACE_STOCK && sold === paid?.units && negative === 0,
      no5xx: s.result.n5xx === 0 && race5xx === 0,
    };
    s.notes = [
      `${ordersPerSecond.toFixed(0)} orders/s (${String(s.result.extra.orders)} orders in ${s.result.seconds.toFixed(1)} s, ${poolA.length} users, ${CONNECTIONS} connections; each order is 2 requests)`,
      `stock conservation over phase A (D1): stock decreased by ${sold}, paid order lines hold ${paid?.units} units, ${negative} products below 0`,
      `race: ${poolB.length} shoppers for ${RACE_STOCK} units: ${JSON.stringify(raceStatus)}; stock afterwards ${adminView.stock}; D1 says ${soldContested} sold`,
      `no oversell: ${checkout.noOversell ? "yes" : "NO"}; zero 5xx: ${checkout.no5xx ? "yes" : "NO"}`,
    ];
    for (const note of s.notes) log(note);
  }

  // ---- Cost attribution: the chain one middleware at a time, and one platform call each ------
  if (ATTRIBUTION && !ONLY) {
    const names = [
      "no middleware (JSON body)",
      "+ request id",
      "+ request log",
      "+ metrics and Server-Timing",
      "+ secure headers",
      "+ CORS",
    ];
    const att = (id: string, title: string, path: string) =>
      measure(rt, id, title, fixed([get(path)], 2), { seconds: ATTRIBUTION_SECONDS, into: attribution });
    for (let k = 0; k < names.length; k++) await att(`mw${k}`, `/mw/${k}: ${names[k]}`, `/mw/${k}`);
    await att("kv", "/diag/kv: 2 KV reads (version + key), a hit", `/diag/kv?slug=${hot.slug}`);
    await att("d1", "/diag/d1: 1 D1 point read", `/diag/d1?slug=${hot.slug}`);
    await att("do", "/diag/do: 1 RateLimiter Durable Object call", "/diag/do");
    await att("log", "/diag/log: 1 structured log line", "/diag/log");
  }

  // Scenarios 12 and 4 run last: their 20 000 one-off reads each leave 20 000 fresh KV entries behind, and
  // Miniflare's KV simulator then slows the whole workerd process for minutes (in one run the
  // floors paired with scenarios 5–9 fell from ~3 800 to 2 000–2 900 req/s), which would be
  // charged to every scenario after it. The drift check (1b) right after them shows what is left.
  const uncached = async (id: string, title: string, procedure: string, inputs: unknown[], what: string) => {
    let bumps = 0;
    let next = 0;
    const bump = () => {
      bumps++;
      void cache.put("v:catalog", randomUUID()).catch((e: unknown) => console.error("bump failed", e));
    };
    const spec = () => ({ kind: "uncached" as const, procedure, inputs, start: next, ipBase: 1 });
    // The warm-up and the measured run send different inputs: each continues where the last stopped.
    if (WARMUP > 0)
      next = Number(
        (
          await runChild(
            { ...spec(), url: rt.url, connections: CONNECTIONS, seconds: WARMUP, ipPool: IP_POOL, name: `${id} warm-up` },
            bump,
          )
        ).extra.next,
      );
    const s = await measure(rt, id, title, spec(), { onBump: bump, warmup: false });
    const trips = s.result.d1RoundTrips;
    const misses = Object.entries(trips)
      .filter(([k]) => k !== "0" && k !== "none")
      .reduce((n, [, v]) => n + v, 0);
    s.notes = [
      `${((100 * misses) / Math.max(1, s.result.requests)).toFixed(1)}% of responses were cache misses (1 D1 round trip); ${inputs.length} ${what}, each sent at most once${bumps ? `; cycle wrapped, version bumped ${bumps} times` : ""}`,
    ];
  };
  if (want("12"))
    await uncached("12", "catalog.list search, cache bypassed (FTS5)", "catalog.list", uncachedSearches, "bench-only searches");
  if (want("4")) await uncached("4", "catalog.get, cache bypassed (D1 point read)", "catalog.get", uncachedSlugs, "bench-only slugs");
  if (want("1")) await measure(rt, "1b", "floor again, at the end (drift check)", fixed([get(FLOOR_PATH)], 1), { pairFloor: false });

  const workerErrors = [...rt.errors];
  await stopAll();

  // ---- Report -------------------------------------------------------------------------------
  const floorRuns = scenarios.filter((s) => s.id === "1" || s.id === "1b");
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const floorRps = mean(floorRuns.map((s) => s.result.rps));
  const floorP99 = mean(floorRuns.map((s) => s.result.latencyMs.p99));
  const floorCpu = mean(floorRuns.map((s) => s.workerdCpuMsPerRequest));
  // Ratios use the floor measured just before each scenario (the run-wide floor for 1 and 1b).
  const floorOf = (s: Scenario) => s.pairedFloor ?? { rps: floorRps, p99: floorP99, cpuMsPerRequest: floorCpu };
  const rpsRatio = (s: Scenario) => s.result.rps / floorOf(s).rps;
  const p99Ratio = (s: Scenario) => s.result.latencyMs.p99 / floorOf(s).p99;
  /** Floor CPU per request over this scenario's: the throughput ratio if workerd had the same CPU for both. */
  const cpuRatio = (s: Scenario) => floorOf(s).cpuMsPerRequest / s.workerdCpuMsPerRequest;
  const by = (id: string) => scenarios.find((s) => s.id === id);
  const metric = (id: string, f: (s: Scenario) => number) => {
    const s = by(id);
    return s ? f(s) : null;
  };
  const pair = (a: string, b: string, f: (x: Scenario, y: Scenario) => number) => {
    const x = by(a);
    const y = by(b);
    return x && y ? f(x, y) : null;
  };
  // Sets of ten per second, each normalised by its own paired floor; and by CPU per set.
  const batchSpeedup = pair("7a", "7b", (x, y) => rpsRatio(x) / (rpsRatio(y) / 10));
  const batchSpeedupCpu = pair("7a", "7b", (x, y) => (10 * y.workerdCpuMsPerRequest) / x.workerdCpuMsPerRequest);
  const peerRatio = pair("3", "10", (x, y) => rpsRatio(x) / rpsRatio(y));
  const peerRatioCpu = pair("3", "10", (x, y) => y.workerdCpuMsPerRequest / x.workerdCpuMsPerRequest);

  /** D1 round trips per response, averaged over the responses that reported them. */
  const meanRoundTrips = (sc: Scenario) => {
    let n = 0;
    let trips = 0;
    for (const [key, count] of Object.entries(sc.result.d1RoundTrips)) {
      const k = Number(key.split(": ").at(-1));
      if (Number.isFinite(k)) {
        n += count;
        trips += k * count;
      }
    }
    return n ? trips / n : NaN;
  };
  const KiB = 1024;
  const atLeast = (v: number | null, t: number) => v !== null && v >= t;
  const ratioTarget = (id: string, label: string, t: number) => ({
    target: `${label} ≥ ${t} × floor`,
    value: metric(id, rpsRatio),
    cpuValue: metric(id, cpuRatio),
    pass: atLeast(metric(id, rpsRatio), t),
    cpuPass: atLeast(metric(id, cpuRatio), t),
  });
  const targets = [
    ratioTarget("2", "middleware chain (2)", 0.85),
    ratioTarget("3", "cached catalog.get (3)", 0.8),
    {
      target: "cached catalog.get (3) p99 ≤ 2 × floor p99",
      value: metric("3", p99Ratio),
      cpuValue: null,
      pass: (metric("3", p99Ratio) ?? Infinity) <= 2,
      cpuPass: null,
    },
    ratioTarget("4", "uncached D1 point read (4)", 0.5),
    ratioTarget("6", "cart.get (6)", 0.45),
    {
      target: "batch of ten public queries (7) ≥ 5 × faster than ten requests",
      value: batchSpeedup,
      cpuValue: batchSpeedupCpu,
      pass: atLeast(batchSpeedup, 5),
      cpuPass: atLeast(batchSpeedupCpu, 5),
    },
    {
      target: "cached catalog.get vs plain Hono peer (3 / 10) ≥ 1.05",
      value: peerRatio,
      cpuValue: peerRatioCpu,
      pass: atLeast(peerRatio, 1.05),
      cpuPass: atLeast(peerRatioCpu, 1.05),
    },
    {
      target: "read-after-write with a bookmark (14): no more D1 round trips than without (6)",
      value: metric("14", meanRoundTrips),
      cpuValue: null,
      pass: (metric("14", meanRoundTrips) ?? Infinity) <= (metric("6", meanRoundTrips) ?? -Infinity) + 0.01,
      cpuPass: null,
    },
    {
      target: "checkout (9) ≥ 100 orders/s, zero errors, zero oversell",
      value: (checkout?.ordersPerSecond as number | undefined) ?? null,
      cpuValue: null,
      pass:
        !!checkout &&
        (checkout.ordersPerSecond as number) >= 100 &&
        by("9")?.result.errors === 0 &&
        checkout.noOversell === true &&
        checkout.no5xx === true,
      cpuPass: null,
    },
    {
      target: "Worker bundle ≤ 175 KiB gzipped",
      value: worker.bundleGzipBytes / KiB,
      cpuValue: null,
      pass: worker.bundleGzipBytes / KiB <= 175,
      cpuPass: null,
    },
    {
      target: "client bundle ≤ 15 KiB gzipped",
      value: client.gzipBytes / KiB,
      cpuValue: null,
      pass: client.gzipBytes / KiB <= 15,
      cpuPass: null,
    },
  ];

  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: SMOKE ? "smoke" : "full",
    settings: {
      seconds: SECONDS,
      warmupSeconds: WARMUP,
      connections: CONNECTIONS,
      checkoutUsers: CHECKOUT_USERS,
      raceUsers: RACE_USERS,
      raceStock: RACE_STOCK,
      ipPool: IP_POOL,
      quietCores: QUIET_CORES,
      quietWaitSeconds: QUIET_WAIT,
      settleSeconds: SETTLE,
    },
    stateDir: PERSIST_DIR,
    machine: machine(),
    versions: versions(),
    floor: {
      rps: floorRps,
      p99Ms: floorP99,
      workerdCpuMsPerRequest: floorCpu,
      paired: pairedFloors.map((f) => ({
        before: f.title.replace("floor paired with ", ""),
        rps: f.result.rps,
        p99Ms: f.result.latencyMs.p99,
        workerdCpuMsPerRequest: f.workerdCpuMsPerRequest,
      })),
    },
    scenarios: scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      rps: s.result.rps,
      unitsPerSecond: s.result.rps / (s.perUnit ?? 1),
      ratioToFloor: rpsRatio(s),
      p99RatioToFloor: p99Ratio(s),
      cpuRatioToFloor: cpuRatio(s),
      floorUsed: floorOf(s),
      latencyMs: s.result.latencyMs,
      requests: s.result.requests,
      errors: s.result.errors,
      n429: s.result.n429,
      n5xx: s.result.n5xx,
      status: s.result.status,
      d1RoundTrips: s.result.d1RoundTrips,
      dbMsMean: s.result.dbMsMean,
      cacheMsMean: s.result.cacheMsMean,
      workerdCpuMsPerRequest: s.workerdCpuMsPerRequest,
      workerdCoreShare: s.workerdCoreShare,
      generatorCoreShare: s.result.generatorCoreShare,
      otherCores: s.otherCores,
      loadavg: s.loadavg,
      waitedForQuietSeconds: s.waitedSeconds,
      extra: s.result.extra,
      notes: s.notes ?? [],
    })),
    attribution: attribution.map((s) => ({
      id: s.id,
      title: s.title,
      rps: s.result.rps,
      ratioToFloor: rpsRatio(s),
      cpuRatioToFloor: cpuRatio(s),
      latencyMs: s.result.latencyMs,
      errors: s.result.errors,
      workerdCpuMsPerRequest: s.workerdCpuMsPerRequest,
      otherCores: s.otherCores,
    })),
    batch: { speedup: batchSpeedup, speedupByCpu: batchSpeedupCpu },
    peer: { typedOverPlain: peerRatio, typedOverPlainByCpu: peerRatioCpu },
    login: loginCpu,
    checkout,
    d1RoundTripsPerProcedure: probes,
    bundles: {
      worker: { ...worker, composition },
      client,
    },
    targets,
    workerErrors,
  };

  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = join(RESULTS_DIR, SMOKE ? "smoke.json" : ONLY ? "partial.json" : "latest.json");
  writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  const table = renderTable(report);
  console.log("\n" + table);
  if (!SMOKE && !ONLY) writeBenchmarksMd(table);
  log(`results: ${out.replace(ROOT + "/", "")}${!SMOKE && !ONLY ? " and BENCHMARKS.md" : ""}`);
  const [firstError] = workerErrors;
  if (firstError !== undefined) log(`${workerErrors.length} error log line(s) from the Workers; first: ${firstError.slice(0, 300)}`);
}

main()
  .catch(async (error: unknown) => {
    console.error(error);
    await stopAll();
    process.exitCode = 1;
  })
  .finally(() => stopAll());
