// `npm run bench:feed`: idle subscribers on one order feed, under the production SSE relay and a
// hibernating-WebSocket spike (bench/feed-worker.ts). For each design and N it
// starts a fresh workerd (Miniflare), opens N subscribers from this process, and prints workerd's
// RSS before and after, the time to open them, the time from a notify to the last subscriber
// woken, and what a forced eviction of the object (Miniflare's unsafeEvictDurableObject, with
// WebSockets hibernated) does to them. docs/scale.md has the figures and the choice they led to.
//
// Environment: FEED_N (100,1000,5000), FEED_DESIGNS (relay,ws-sse,ws), FEED_NOTIFIES (3, median),
// FEED_IDLE_S (12: seconds to stay idle before the first notify; workerd, like production,
// hibernates an eligible object after 10 s idle).
import http from "node:http";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { ROOT, WORKER_BUILD, workerdDescendants } from "./runtime.ts";

const NS = (process.env.FEED_N ?? "100,1000,5000").split(",").map(Number);
const DESIGNS = (process.env.FEED_DESIGNS ?? "relay,ws-sse,ws").split(",") as Design[];
const NOTIFIES = Number(process.env.FEED_NOTIFIES ?? 3);
const IDLE_S = Number(process.env.FEED_IDLE_S ?? 12);
const OPEN_CONCURRENCY = 100;
const WORKER = "feed-spike";
const FEED = "bench";

type Design = "relay" | "ws-sse" | "ws";
const CLASS: Record<Design, string> = { relay: "StreamFeed", "ws-sse": "WebSocketFeed", ws: "WebSocketFeed" };

const workDir = join(ROOT, ".wrangler", "bench-feed", String(process.pid));
const bundle = join(workDir, "feed-worker.js");
mkdirSync(workDir, { recursive: true });
await build({
  ...WORKER_BUILD,
  entryPoints: [join(ROOT, "bench", "feed-worker.ts")],
  outfile: bundle,
  external: ["cloudflare:*", "node:*"],
  logLevel: "error",
});
const compatibilityDate = /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1];

/** One subscriber as this process sees it: wake-ups counted, and whether its stream ended. */
interface Subscriber {
  wakes: number;
  ended: boolean;
  close(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssKiB(): number {
  let total = 0;
  for (const pid of workerdDescendants()) {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return total;
}

function openSse(base: string, design: Design, onWake: () => void): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${base}/sub/${design}?feed=${FEED}`, { agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`subscribe answered ${response.statusCode}`));
      const sub: Subscriber = { wakes: 0, ended: false, close: () => request.destroy() };
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        // `: open` arrives first: the Worker is listening by then.
        if (chunk.includes(": open")) resolve(sub);
        for (let i = chunk.indexOf("data: wake"); i !== -1; i = chunk.indexOf("data: wake", i + 1)) {
          sub.wakes++;
          onWake();
        }
      });
      const end = () => (sub.ended = true);
      response.on("end", end);
      response.on("close", end);
    });
    request.on("error", reject);
  });
}

function openWs(base: string, onWake: () => void): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, "ws")}/sub/ws?feed=${FEED}`);
    const sub: Subscriber = { wakes: 0, ended: false, close: () => ws.close() };
    ws.addEventListener("open", () => resolve(sub));
    ws.addEventListener("error", () => reject(new Error("WebSocket error")));
    ws.addEventListener("message", () => {
      sub.wakes++;
      onWake();
    });
    ws.addEventListener("close", () => (sub.ended = true));
  });
}

interface Eviction {
  /** workerd's answer when it would not evict the object. */
  refused: string | null;
  /** Subscriber streams that ended with the eviction. */
  ended: number;
  /** Subscribers the next notify reached, and how many of them saw it. */
  reached: number;
  woken: number;
  /** Whether the next notify ran in a new instance (null: the design cannot say). */
  rebuilt: boolean | null;
  rssMiB: number;
}

interface NotifyAnswer {
  sent: number;
  constructedAt: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function measure(design: Design, n: number) {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      workers: [
        {
          name: WORKER,
          compatibilityDate,
          modules: [{ type: "ESModule", path: bundle }],
          modulesRoot: workDir,
          durableObjects: {
            RELAY_FEED: { className: "StreamFeed", useSQLite: true },
            WS_FEED: { className: "WebSocketFeed", useSQLite: true },
          },
        },
      ],
    }),
  );
  const pids = new Set<number>();
  const subs: Subscriber[] = [];
  try {
    const base = (await mf.ready).toString().replace(/\/$/, "");
    for (const pid of workerdDescendants()) pids.add(pid);
    const notify = async (): Promise<NotifyAnswer> => {
      const response = await fetch(`${base}/notify/${design}?feed=${FEED}`, { method: "POST" });
      return (await response.json()) as NotifyAnswer;
    };
    let woken = 0;
    let waiter: (() => void) | null = null;
    let target = 0;
    const onWake = () => {
      if (++woken >= target) waiter?.();
    };
    const open = () => (design === "ws" ? openWs(base, onWake) : openSse(base, design, onWake));
    // Warm the object and the code paths (the first subscriber compiles them), then let it settle.
    const first = await notify();
    (await open()).close();
    await sleep(200);
    // The relay drops a gone subscriber's stream when a write to it fails: this notify does.
    await notify();
    await sleep(1_000);
    const rssBefore = rssKiB();

    const tOpen = performance.now();
    for (let i = 0; i < n; i += OPEN_CONCURRENCY) {
      subs.push(...(await Promise.all(Array.from({ length: Math.min(OPEN_CONCURRENCY, n - i) }, open))));
    }
    const openMs = performance.now() - tOpen;
    await sleep(2_000);
    const rssAfter = rssKiB();
    if (IDLE_S > 0) await sleep(IDLE_S * 1_000);
    const rssIdle = rssKiB();

    const wakeMs: number[] = [];
    let idleConstructedAt: number | null = null;
    for (let round = 1; round <= NOTIFIES; round++) {
      woken = 0;
      target = n;
      const all = new Promise<void>((resolve) => (waiter = resolve));
      const t0 = performance.now();
      const answer = await notify();
      if (round === 1) idleConstructedAt = answer.constructedAt;
      if (answer.sent < n) throw new Error(`${design}: notify reached ${answer.sent} of ${n}`);
      await Promise.race([all, sleep(30_000)]);
      if (woken < n) throw new Error(`${design}: ${woken} of ${n} woken within 30 s`);
      wakeMs.push(performance.now() - t0);
      await sleep(200);
    }

    // A forced eviction: what an object evicted while its subscribers are idle does to them. Tried
    // at the smallest N only: workerd waits 30 s before refusing to evict an object still in use.
    let eviction: Eviction | null = null;
    if (n === Math.min(...NS)) {
      let refused: string | null = null;
      try {
        await mf.unsafeEvictDurableObject(WORKER, CLASS[design], { name: FEED, webSockets: "hibernate" });
      } catch (error) {
        refused = error instanceof Error ? error.message : String(error);
      }
      await sleep(500);
      const ended = subs.filter((s) => s.ended).length;
      const rssMiB = rssKiB() / 1024;
      woken = 0;
      target = n - ended;
      const all = new Promise<void>((resolve) => (waiter = resolve));
      const after = await notify();
      await Promise.race([all, sleep(5_000)]);
      eviction = {
        refused,
        ended,
        reached: after.sent,
        woken,
        rebuilt: after.constructedAt === null ? null : after.constructedAt !== first.constructedAt,
        rssMiB,
      };
    }
    return {
      design,
      n,
      rssBeforeMiB: rssBefore / 1024,
      rssAfterMiB: rssAfter / 1024,
      rssIdleMiB: rssIdle / 1024,
      perSubscriberKiB: (rssAfter - rssBefore) / n,
      openMs,
      wakeMs: median(wakeMs),
      wakeAllMs: wakeMs,
      hibernatedWhileIdle: IDLE_S > 0 && first.constructedAt !== null ? idleConstructedAt !== first.constructedAt : null,
      eviction,
    };
  } finally {
    for (const sub of subs) sub.close();
    try {
      await mf.dispose();
    } finally {
      for (const pid of workerdDescendants().filter((p) => pids.has(p))) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  }
}

function describeEviction(e: Eviction): string {
  const what = e.refused ? `refused (${e.refused})` : "done";
  const rebuilt = e.rebuilt === null ? "" : `, object rebuilt: ${e.rebuilt}`;
  return `\n         forced eviction ${what}: ${e.ended} streams ended; next notify reached ${e.reached}, ${e.woken} woken${rebuilt}; RSS ${e.rssMiB.toFixed(1)} MiB`;
}

const results = [];
try {
  for (const n of NS) {
    for (const design of DESIGNS) {
      const r = await measure(design, n);
      results.push(r);
      console.log(
        `${design.padEnd(6)} N=${String(n).padStart(5)}  RSS ${r.rssBeforeMiB.toFixed(1)} → ${r.rssAfterMiB.toFixed(1)} MiB ` +
          `(${r.perSubscriberKiB.toFixed(1)} KiB/subscriber)  open ${r.openMs.toFixed(0)} ms  notify→last woken ${r.wakeMs.toFixed(1)} ms ` +
          `[${r.wakeAllMs.map((x) => x.toFixed(1)).join(", ")}]` +
          (IDLE_S > 0 ? `  after ${IDLE_S} s idle: RSS ${r.rssIdleMiB.toFixed(1)} MiB` : "") +
          (r.hibernatedWhileIdle === null ? "" : `, hibernated: ${r.hibernatedWhileIdle}`) +
          (r.eviction === null ? "" : describeEviction(r.eviction)),
      );
      await sleep(1_000);
    }
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
if (process.env.FEED_JSON) console.log(JSON.stringify(results, null, 2));
