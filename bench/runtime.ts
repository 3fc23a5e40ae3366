// Builds the Worker and runs it in the local runtime (workerd, through Miniflare: the same
// runtime `wrangler dev` uses, without wrangler dev's extra proxy Worker in front), with a fresh
// persisted D1/KV/Durable Object state, migrated and seeded like `npm run dev` does.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build, type BuildOptions, type Plugin } from "esbuild";
import { Miniflare, convertV4MiniflareOptions, type V4WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from "wrangler";
import { readRawConfig } from "../scripts/wrangler-config.ts";

export const ROOT = resolve(import.meta.dirname, "..");
// One directory per process, so bench scripts running side by side (bench, soak, login timing)
// never build into or wipe each other's state. Removed when the runtime stops, unless
// BENCH_KEEP_STATE=1.
export const WORK_DIR = join(ROOT, ".wrangler", "bench", String(process.pid));
// The simulated D1/KV/Durable Object state lives in memory (tmpfs) where there is one: on disk,
// SQLite's syncs make write-heavy scenarios wait on the machine's disk, which production D1 does
// not have (checkout: 67–100 orders/s on this VM's disk with workerd at 0.74 cores, 169 on tmpfs
// with workerd saturated; BENCHMARKS.md). BENCH_STATE_DIR chooses another place, e.g.
// `.wrangler/bench-state` to measure with the disk.
const STATE_ROOT =
  process.env.BENCH_STATE_DIR ?? (existsSync("/dev/shm") ? "/dev/shm/storefront-bench-state" : join(ROOT, ".wrangler", "bench-state"));
export const PERSIST_DIR = join(resolve(ROOT, STATE_ROOT), String(process.pid));
export const DIST_DIR = join(WORK_DIR, "dist");
const FLOOR_BUNDLE = join(WORK_DIR, "floor", "floor-worker.js");

export const APP_WORKER = "storefront-api";
const FLOOR_WORKER = "bench-floor";

const childEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };

export interface BuildInfo {
  command: string;
  /** Set when the project's wrangler.toml could not be built as it is (e.g. a missing assets directory). */
  note?: string;
  bundleBytes: number;
  bundleGzipBytes: number;
  wasmBytes: number;
  wasmGzipBytes: number;
}

function runWrangler(args: string[]): { ok: true } | { ok: false; output: string } {
  try {
    execFileSync("npx", ["wrangler", ...args], { cwd: ROOT, env: childEnv, stdio: "pipe" });
    return { ok: true };
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    return { ok: false, output: `${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? ""}` };
  }
}

/**
 * `npm run build`'s command (wrangler deploy --dry-run --minify) into a bench-only outdir, so a
 * concurrent `npm run build` in dist/ is left alone. If the config cannot be built as it is
 * because its static-assets directory does not exist yet, builds a copy without [assets]: the
 * Worker bundle does not contain the assets either way.
 */
export function buildWorker(gzipSize: (bytes: Buffer) => number): BuildInfo {
  rmSync(DIST_DIR, { recursive: true, force: true });
  // BENCH_MINIFY=0 keeps function names readable in `bench:profile` (the bundle sizes then differ).
  // `--define __BENCH_FLOOR__:true` adds the floor route (GET /__floor) that no other build has.
  const args = [
    "deploy",
    "--dry-run",
    "--outdir",
    DIST_DIR,
    "--define",
    "__BENCH_FLOOR__:true",
    ...(process.env.BENCH_MINIFY === "0" ? [] : ["--minify"]),
  ];
  let command = `wrangler ${args.join(" ")}`.replace(ROOT + "/", "");
  let note: string | undefined;
  let result = runWrangler(args);
  if (!result.ok && /assets/i.test(result.output)) {
    const raw = readRawConfig(join(ROOT, "wrangler.toml"));
    const { assets: _assets, ...rest } = raw;
    const derived = join(WORK_DIR, "wrangler.build.json");
    mkdirSync(WORK_DIR, { recursive: true });
    writeFileSync(derived, JSON.stringify({ ...rest, main: join(ROOT, String(raw.main)) }, null, 2));
    note =
      "wrangler.toml's [assets] directory does not exist here, so the build used a copy of the config without [assets] (the Worker bundle is the same).";
    command = `wrangler ${[...args, "-c", derived].join(" ")}`.replaceAll(ROOT + "/", "");
    result = runWrangler([...args, "-c", derived]);
  }
  if (!result.ok) throw new Error(`Worker build failed:\n${result.output}`);
  const bundle = readFileSync(join(DIST_DIR, "index.js"));
  const wasm = readdirSync(DIST_DIR)
    .filter((f) => f.endsWith(".wasm"))
    .map((f) => readFileSync(join(DIST_DIR, f)));
  return {
    command,
    note,
    bundleBytes: bundle.length,
    bundleGzipBytes: gzipSize(bundle),
    wasmBytes: wasm.reduce((n, b) => n + b.length, 0),
    wasmGzipBytes: wasm.reduce((n, b) => n + gzipSize(b), 0),
  };
}

/**
 * wrangler.toml's [alias] table as an esbuild plugin. Like wrangler, a name is replaced only when
 * imported exactly (esbuild's own `alias` would also rewrite `zod/v4/core` for `zod/v4`).
 */
function wranglerAliases(): Plugin {
  const alias = (readRawConfig(join(ROOT, "wrangler.toml")).alias ?? {}) as Record<string, string>;
  const names = Object.keys(alias).map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return {
    name: "wrangler-aliases",
    setup(b) {
      if (names.length === 0) return;
      b.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => ({ path: join(ROOT, alias[args.path] ?? args.path) }));
    },
  };
}

/** esbuild settings that bundle Worker code the way wrangler does (its aliases included). */
export const WORKER_BUILD: BuildOptions = {
  bundle: true,
  plugins: [wranglerAliases()],
  minify: true,
  format: "esm",
  platform: "neutral",
  target: "es2024",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
};

/** Bundles bench/floor-worker.ts (which imports the app's own middleware and cache helpers). */
export async function buildFloorWorker(): Promise<void> {
  await build({
    ...WORKER_BUILD,
    entryPoints: [join(ROOT, "bench", "floor-worker.ts")],
    outfile: FLOOR_BUNDLE,
    external: ["cloudflare:*", "node:*"],
    logLevel: "error",
  });
}

export interface Runtime {
  mf: Miniflare;
  url: string;
  secrets: { JWT_SECRET: string; STRIPE_WEBHOOK_SECRET: string };
  /** Log lines the Workers wrote at level error (kept for the report). */
  errors: string[];
  logLines: () => number;
  workerdPids: () => number[];
  stop: () => Promise<void>;
}

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, ms) used so far by the runtime's workerd process(es). */
export function workerdCpuMs(rt: Runtime): number {
  let ticks = 0;
  for (const pid of rt.workerdPids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / CLK_TCK;
}

/** Every workerd process that is a descendant of this Node process. */
export function workerdDescendants(): number[] {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, close));
      parents.set(Number(entry), Number(stat.slice(close + 2).split(" ")[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const isMine = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...names].filter(([pid, name]) => name === "workerd" && isMine(pid)).map(([pid]) => pid);
}

export async function startRuntime(port: number, options: { inspectorPort?: number } = {}): Promise<Runtime> {
  rmSync(PERSIST_DIR, { recursive: true, force: true });
  mkdirSync(PERSIST_DIR, { recursive: true });
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml"));
  const {
    assets: _assets,
    modulesRules: _rules,
    rootPath: _root,
    ...appOptions
  } = workerOptions as V4WorkerOptions & { assets?: unknown; modulesRules?: unknown; rootPath?: unknown };
  // The bundle's modules, listed explicitly: index.js and the Argon2 WebAssembly next to it.
  const appModules = [
    { type: "ESModule" as const, path: join(DIST_DIR, "index.js") },
    ...readdirSync(DIST_DIR)
      .filter((f) => f.endsWith(".wasm"))
      .map((f) => ({ type: "CompiledWasm" as const, path: join(DIST_DIR, f) })),
  ];
  // Bench-only secrets; .dev.vars is neither read for these nor written.
  const secrets = { JWT_SECRET: randomBytes(32).toString("base64url"), STRIPE_WEBHOOK_SECRET: randomBytes(32).toString("base64url") };
  // The built-in test provider, as in development.
  const bindings = { ...(appOptions.bindings ?? {}), ...secrets, ENVIRONMENT: "development", PAYMENT_PROVIDER: "test" };
  const errors: string[] = [];
  let lines = 0;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort, inspectorHost: "127.0.0.1" } : {}),
      resourcePersistencePath: join(PERSIST_DIR, "v3"),
      logRequests: false,
      handleStructuredLogs: (log) => {
        lines++;
        if (log.level === "error" && errors.length < 50) errors.push(log.message.slice(0, 2000));
      },
      workers: [
        {
          ...appOptions,
          name: APP_WORKER,
          bindings,
          modules: appModules,
          modulesRoot: DIST_DIR,
        },
        {
          name: FLOOR_WORKER,
          compatibilityDate: appOptions.compatibilityDate,
          compatibilityFlags: appOptions.compatibilityFlags,
          modules: [{ type: "ESModule", path: FLOOR_BUNDLE }],
          modulesRoot: join(WORK_DIR, "floor"),
          bindings,
          d1Databases: appOptions.d1Databases,
          kvNamespaces: appOptions.kvNamespaces,
          durableObjects: { RATE_LIMITER: { className: "RateLimiter", useSQLite: true } },
          routes: ["*/diag/*", "*/mw/*"],
        },
      ],
    }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");
  const stop = async () => {
    const pids = workerdDescendants();
    try {
      await mf.dispose();
    } finally {
      for (const pid of workerdDescendants().filter((p) => pids.includes(p))) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      if (process.env.BENCH_KEEP_STATE !== "1") {
        rmSync(PERSIST_DIR, { recursive: true, force: true });
        rmSync(WORK_DIR, { recursive: true, force: true });
      }
    }
  };
  return { mf, url, secrets, errors, logLines: () => lines, workerdPids: workerdDescendants, stop };
}

/** Applies migrations/ in order, then the project's demo seed (scripts/seed.ts), through D1. */
export async function migrateAndSeed(rt: Runtime, seedSql: () => Promise<string>): Promise<void> {
  const db = await d1(rt);
  const dir = join(ROOT, "migrations");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sql") && statSync(join(dir, f)).isFile())
    .sort();
  const run = async (sql: string) => {
    const statements = unstable_splitSqlQuery(sql).filter((s) => s.trim().length > 0);
    for (let i = 0; i < statements.length; i += 500) await db.batch(statements.slice(i, i + 500).map((s) => db.prepare(s)));
  };
  for (const f of files) await run(readFileSync(join(dir, f), "utf8"));
  await run(await seedSql());
}

// The bindings as the harness uses them from Node (bench/ is type-checked without Workers types).
export interface BenchStatement {
  bind(...values: unknown[]): BenchStatement;
  all<T>(): Promise<{ results: T[] }>;
  first<T>(): Promise<T | null>;
}
export interface BenchD1 {
  prepare(query: string): BenchStatement;
  batch(statements: BenchStatement[]): Promise<unknown[]>;
}
export interface BenchKV {
  put(key: string, value: string): Promise<void>;
}
export const d1 = async (rt: Runtime) => (await rt.mf.getD1Database("DB", APP_WORKER)) as unknown as BenchD1;
export const kv = async (rt: Runtime) => (await rt.mf.getKVNamespace("CACHE", APP_WORKER)) as unknown as BenchKV;

export function exists(path: string) {
  return existsSync(path);
}
