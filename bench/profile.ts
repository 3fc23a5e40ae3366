// `npm run bench:profile -- [path …]`: where a request's CPU goes. Starts the same runtime as
// `npm run bench` with workerd's V8 inspector on, drives one path with the bench's load for a few
// seconds while every isolate (the Worker, and Miniflare's own isolates that simulate KV, D1 and
// Durable Objects) is CPU-profiled, and prints self time by source package/file and function,
// mapped through the bundle's source map. A diagnostic, not a benchmark: profiling slows V8.
//
// Paths: any request path, one of the shortcuts below, or `checkout` (cart.addItem +
// checkout.placeOrder as bench scenario 9 drives them, by signed-in customers with stocked
// products). BENCH_PROFILE_SECONDS (default 5).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { seedSql } from "../scripts/seed.ts";
import { runLoad, type Spec } from "./load.ts";
import { present } from "./present.ts";
import { SourceMap } from "./source-map.ts";
import { DIST_DIR, buildFloorWorker, buildWorker, d1, migrateAndSeed, startRuntime, type Runtime } from "./runtime.ts";

const SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 8790);
const INSPECTOR = Number(process.env.BENCH_INSPECTOR_PORT ?? 9239);
const HOT = "apparel-classic-beanie-371";
const input = (v: unknown) => encodeURIComponent(JSON.stringify({ json: v }));
const SHORTCUTS: Record<string, string> = {
  "catalog.get": `/trpc/catalog.get?input=${input({ slug: HOT })}`,
  peer: `/__peer/product?slug=${HOT}`,
  healthz: "/healthz",
  floor: "/__floor",
  "catalog.list": `/trpc/catalog.list?input=${input({})}`,
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

class Inspector {
  private next = 1;
  private pending = new Map<number, (value: unknown) => void>();
  private ws: WebSocket;
  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (event) => {
      const m = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: unknown };
      if (m.id !== undefined) this.pending.get(m.id)?.(m.error ? Promise.reject(new Error(JSON.stringify(m.error))) : m.result);
    });
  }
  static open(url: string): Promise<Inspector> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener("open", () => resolve(new Inspector(ws)));
      ws.addEventListener("error", () => reject(new Error(`cannot open ${url}`)));
    });
  }
  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, (v) => resolve(v as T));
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }
  close() {
    this.ws.close();
  }
}

function bucketOf(path: string) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return m?.[1] ?? path.replace(/^.*?\/(worker|router|db|domain)\//, "$1/");
}

type Checkout = Extract<Spec, { kind: "checkout" }>;
type Work = { kind: "fixed"; requests: [{ method: "GET"; path: string }] } | Pick<Checkout, "kind" | "users" | "products" | "runId">;

async function signIn(rt: Runtime, email: string, password: string, ip: string): Promise<string> {
  const response = await fetch(`${rt.url}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ json: { email, password } }),
  });
  const body = (await response.json()) as { result?: { data?: { json?: { accessToken?: string } } } };
  const token = body.result?.data?.json?.accessToken;
  if (!token) throw new Error(`sign-in of ${email} failed: HTTP ${response.status}`);
  return token;
}

// Enough customers that checkout's per-user limit (20 a minute) never answers 429 while
// profiling; they share the seeded admin's password hash, so no hashing happens here.
async function checkoutWork(rt: Runtime): Promise<Work> {
  const db = await d1(rt);
  const users = Array.from({ length: 150 }, (_, i) => `profile${i}@bench.local`);
  await db.batch(
    users.map((email) =>
      db
        .prepare(
          "insert into users (id, email, name, password_hash, role) select ?1, ?2, 'Profile shopper', password_hash, 'customer' from users where email = 'admin@storefront.local'",
        )
        .bind(crypto.randomUUID(), email),
    ),
  );
  const products = (await db.prepare("select id from products where status = 'active' limit 50").all<{ id: string }>()).results;
  await db.prepare("update products set stock = 1000000 where status = 'active'").all();
  const tokens: string[] = [];
  for (const [i, email] of users.entries()) tokens.push(await signIn(rt, email, "Admin-Storefront-1", `10.251.0.${i}`));
  return {
    kind: "checkout",
    users: users.map((email, i) => ({ email, token: present(tokens[i], "token") })),
    products: products.map((p) => p.id),
    runId: crypto.randomUUID().slice(0, 8),
  };
}

async function profilePath(rt: Runtime, label: string, work: Work, map: SourceMap) {
  const path = work.kind === "fixed" ? work.requests[0].path : "/trpc/cart.addItem + /trpc/checkout.placeOrder";
  const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR}/json/list`)).json()) as {
    id: string;
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const sessions = await Promise.all(
    targets.map(async (t) => ({ title: t.title, inspector: await Inspector.open(t.webSocketDebuggerUrl) })),
  );
  const load = (seconds: number) =>
    runLoad({
      ...work,
      url: rt.url,
      connections: 16,
      seconds,
      ipBase: 7,
      ipPool: 128,
      name: label,
    });
  await load(2);
  for (const s of sessions) {
    await s.inspector.send("Profiler.enable");
    await s.inspector.send("Profiler.setSamplingInterval", { interval: 200 });
    await s.inspector.send("Profiler.start");
  }
  const result = await load(SECONDS);
  const profiles = await Promise.all(
    sessions.map(async (s) => ({ title: s.title, profile: (await s.inspector.send<{ profile: Profile }>("Profiler.stop")).profile })),
  );
  for (const s of sessions) s.inspector.close();

  console.log(
    `\n## ${label}: ${path.slice(0, 100)}\n${result.requests} requests in ${result.seconds.toFixed(1)} s (${result.rps.toFixed(0)} req/s while profiling)\n`,
  );
  const byIsolate: [string, number][] = [];
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const { title, profile } of profiles) {
    const self = new Map<number, number>();
    for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    let busy = 0;
    for (const node of profile.nodes) {
      const us = self.get(node.id) ?? 0;
      const fn = node.callFrame.functionName || "(anonymous)";
      if (fn === "(idle)" || us === 0) continue;
      busy += us;
      if (!title.includes("storefront-api")) continue;
      let where = node.callFrame.url || fn;
      let name = fn;
      if (node.callFrame.url.endsWith("index.js") && node.callFrame.lineNumber >= 0) {
        const pos = map.lookup(node.callFrame.lineNumber + 1, node.callFrame.columnNumber);
        if (pos.source) {
          where = pos.source;
          name = pos.name ?? fn;
        }
      }
      const bucket = bucketOf(where);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
      const key = `${name} (${where.replace(/^.*node_modules\//, "").replace(/^.*?\/(worker|router|db|domain)\//, "$1/")})`;
      functions.set(key, (functions.get(key) ?? 0) + us);
    }
    byIsolate.push([title, busy]);
  }
  const per = (us: number) => (us / 1000 / Math.max(1, result.requests)).toFixed(3);
  console.log("CPU by isolate (ms per request, from V8 samples):");
  for (const [title, us] of byIsolate.sort((a, b) => b[1] - a[1]).filter(([, us]) => us > 0))
    console.log(`  ${per(us).padStart(7)}  ${title}`);
  console.log("\nstorefront-api isolate, self time by source:");
  for (const [k, us] of [...buckets].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${per(us).padStart(7)}  ${k}`);
  console.log("\nstorefront-api isolate, top functions (self time):");
  for (const [k, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${per(us).padStart(7)}  ${k}`);
}

let rt: Runtime | null = null;
const stop = async () => {
  const r = rt;
  rt = null;
  await r?.stop();
};
process.once("SIGINT", () => void stop().finally(() => process.exit(130)));
try {
  buildWorker((b) => gzipSync(b).length);
  await buildFloorWorker();
  rt = await startRuntime(PORT, { inspectorPort: INSPECTOR });
  await migrateAndSeed(rt, seedSql);
  const map = new SourceMap(readFileSync(join(DIST_DIR, "index.js.map"), "utf8"));
  const paths = process.argv.slice(2);
  for (const p of paths.length ? paths : ["catalog.get"]) {
    const work: Work =
      p === "checkout" ? await checkoutWork(rt) : { kind: "fixed", requests: [{ method: "GET", path: SHORTCUTS[p] ?? p }] };
    await profilePath(rt, p, work, map);
  }
} finally {
  await stop();
}
