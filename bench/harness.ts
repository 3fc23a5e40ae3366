// The bench's measuring machinery: its knobs, the processes it starts and how they stop, the wait
// for a quiet machine, and one measured load run with a floor on either side.
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { LoadResult, RequestSpec, Spec } from "./load.ts";
import { ROOT, workerdCpuMs, CLK_TCK, type Runtime } from "./runtime.ts";

const env = process.env;
export const SMOKE = env.BENCH_SMOKE === "1";
const num = (name: string, fallback: number) => (env[name] !== undefined && env[name] !== "" ? Number(env[name]) : fallback);
export const SECONDS = num("BENCH_SECONDS", SMOKE ? 2 : 10);
export const WARMUP = num("BENCH_WARMUP_SECONDS", SMOKE ? 0.5 : 2);
export const CONNECTIONS = num("BENCH_CONNECTIONS", 16);
export const CHECKOUT_USERS = num("BENCH_CHECKOUT_USERS", SMOKE ? 60 : 200);
export const RACE_USERS = num("BENCH_RACE_USERS", SMOKE ? 20 : 50);
export const RACE_STOCK = num("BENCH_RACE_STOCK", 10);
export const EXTRA_PRODUCTS = num("BENCH_UNCACHED_PRODUCTS", SMOKE ? 3000 : 20000);
export const PORT = num("BENCH_PORT", 8790);
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(",").map((s) => s.trim())) : null;
export const PARTIAL = ONLY !== null;
export const PASSWORD = "Bench-Pass-1234";
// Client addresses rotated per request (10.<scenario>.x.y), so the per-IP read limit (600/min)
// never turns a run into 429s; the warm-up touches every address, so each address's
// RateLimiter Durable Object exists before the measured window.
export const IP_POOL = 128;
export const ATTRIBUTION = env.BENCH_ATTRIBUTION !== "0";
// On a shared machine, wait (up to BENCH_QUIET_WAIT_SECONDS) before each run until other
// processes use less than BENCH_QUIET_CORES; every result also reports what others used.
export const QUIET_CORES = num("BENCH_QUIET_CORES", 0.3);
export const QUIET_WAIT = num("BENCH_QUIET_WAIT_SECONDS", SMOKE ? 0 : 20);
export const SETTLE = num("BENCH_SETTLE_SECONDS", SMOKE ? 0 : 3);
// Each scenario's ratio uses a floor measured right before it (BENCH_FLOOR_SECONDS long), so a
// neighbour's load that comes and goes shifts both sides of the ratio alike.
const FLOOR_SECONDS = num("BENCH_FLOOR_SECONDS", SMOKE ? 1 : 4);
export const ATTRIBUTION_SECONDS = num("BENCH_ATTRIBUTION_SECONDS", SMOKE ? 1 : 8);
export const RESULTS_DIR = join(ROOT, "bench", "results");
// The storefront's own floor route (worker/app.ts): a constant, before any middleware.
export const FLOOR_PATH = "/__floor";

/** Whether BENCH_ONLY (if set) names this scenario. */
export const want = (id: string) => !ONLY || ONLY.has(id);

export const log = (...args: unknown[]) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);

export const get = (path: string, headers?: Record<string, string>): RequestSpec => ({ method: "GET", path, headers });
export const fixed = (requests: RequestSpec[], ipBase: number) => ({ kind: "fixed" as const, requests, ipBase });

// ---------------------------------------------------------------------------------------------
// Processes we start, and how they are stopped on every way out.
let runtime: Runtime | null = null;
const children = new Set<ChildProcess>();
let stopping: Promise<void> | null = null;

/** The runtime to stop on the way out. */
export function adoptRuntime(rt: Runtime) {
  runtime = rt;
}

export function stopAll(): Promise<void> {
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

/** Stops everything this process started on a signal or an uncaught error. */
export function stopOnExit() {
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
}

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

/** One autocannon run in a child process (bench/load.ts), so it never shares our event loop. */
export function runChild(spec: Spec, onBump?: () => void): Promise<LoadResult> {
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
export type SpecInput = DistributiveOmit<Spec, "url" | "connections" | "seconds" | "name" | "ipPool"> & {
  connections?: number;
  ipPool?: number;
};

export interface FloorSample {
  rps: number;
  p99: number;
  cpuMsPerRequest: number;
}

export interface Scenario {
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

/** Every measured run of this process, by kind, in the order they ran. */
export const scenarios: Scenario[] = [];
export const attribution: Scenario[] = [];
export const pairedFloors: Scenario[] = [];

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

/** One scenario: waits for quiet, floor, warm-up, the measured window, floor; records it. */
export async function measure(
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
