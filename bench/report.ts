// The bench's report: its shape (bench/results/*.json), the results table, and the table's place
// in BENCHMARKS.md.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, type BuildInfo } from "./runtime.ts";

export type Report = {
  startedAt: string;
  mode: string;
  settings: Record<string, number>;
  stateDir: string;
  machine: Record<string, string>;
  versions: Record<string, string>;
  floor: { rps: number; p99Ms: number };
  scenarios: {
    id: string;
    title: string;
    rps: number;
    unitsPerSecond: number;
    ratioToFloor: number;
    p99RatioToFloor: number;
    cpuRatioToFloor: number;
    floorUsed: { rps: number; p99: number; cpuMsPerRequest: number };
    latencyMs: { p50: number; p99: number };
    errors: number;
    n429: number;
    n5xx: number;
    d1RoundTrips: Record<string, number>;
    workerdCpuMsPerRequest: number;
    workerdCoreShare: number;
    generatorCoreShare: number;
    otherCores: number;
    notes: string[];
  }[];
  attribution: {
    id: string;
    title: string;
    rps: number;
    ratioToFloor: number;
    cpuRatioToFloor: number;
    latencyMs: { p50: number; p99: number };
    workerdCpuMsPerRequest: number;
    otherCores: number;
  }[];
  targets: { target: string; value: number | null; cpuValue: number | null; pass: boolean; cpuPass: boolean | null }[];
  d1RoundTripsPerProcedure: { procedure: string; status: number; d1RoundTrips: number | null; note?: string }[];
  bundles: { worker: BuildInfo; client: { bytes: number; gzipBytes: number } };
  login: LoginCpu | null;
};

/** Scenario 8's sequential measurement of one login's CPU. */
export interface LoginCpu {
  loginCpuMs: number;
  loginLatencyMs: number;
  rejectedCpuMs: number;
  rejectedLatencyMs: number;
  hashAndSessionCpuMs: number;
  argon2idNodeMs: number;
  samples: number;
}

export function renderTable(r: Report): string {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "–");
  const trips = (h: Record<string, number>) =>
    Object.entries(h)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}×${v}`)
      .join(", ");
  const lines = [
    `Run ${r.startedAt} (${r.mode}): ${r.settings.seconds} s per scenario after ${r.settings.warmupSeconds} s warm-up, ${r.settings.connections} connections, autocannon on 127.0.0.1; simulated D1/KV/Durable Object state in \`${r.stateDir.replace(ROOT + "/", "")}\`.`,
    `Machine: ${r.machine.nproc} CPUs (${r.machine.cpuModel}), ${r.machine.memory} RAM (\`free -h\`: \`${r.machine.freeH}\`), ${r.machine.kernel}.`,
    `Versions: Node ${r.versions.node}, wrangler ${r.versions.wrangler}, miniflare ${r.versions.miniflare}, workerd ${r.versions.workerd}, autocannon ${r.versions.autocannon}.`,
    `Other processes on the machine used up to ${f(Math.max(0, ...r.scenarios.map((s) => s.otherCores)), 2)} cores during a measured window (column "others"; the harness waits up to ${r.settings.quietWaitSeconds} s for them to drop below ${r.settings.quietCores} cores before each run).`,
    "",
    "| # | scenario | req/s | floor req/s (paired) | ratio to floor | p50 ms | p99 ms | p99 / floor p99 | errors (429 / 5xx) | workerd CPU ms/req | CPU ratio to floor | D1 round trips (responses) | cores: workerd / generator / others |",
    "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---|",
    ...r.scenarios.map(
      (s) =>
        `| ${s.id} | ${s.title} | ${f(s.rps)} | ${f(s.floorUsed.rps)} | ${f(s.ratioToFloor, 2)} | ${f(s.latencyMs.p50, 2)} | ${f(s.latencyMs.p99, 2)} | ${f(s.p99RatioToFloor, 2)} | ${s.errors} (${s.n429} / ${s.n5xx}) | ${f(s.workerdCpuMsPerRequest, 3)} | ${f(s.cpuRatioToFloor, 2)} | ${trips(s.d1RoundTrips)} | ${f(s.workerdCoreShare, 2)} / ${f(s.generatorCoreShare, 2)} / ${f(s.otherCores, 2)} |`,
    ),
    ...(r.attribution.length
      ? [
          "",
          "Cost attribution (bench worker routes, same runtime and load; shorter runs):",
          "",
          "| probe | req/s | ratio to floor | p50 ms | p99 ms | workerd CPU ms/req | CPU ratio to floor | other load (cores) |",
          "|---|---:|---:|---:|---:|---:|---:|---:|",
          ...r.attribution.map(
            (a) =>
              `| ${a.title} | ${f(a.rps)} | ${f(a.ratioToFloor, 2)} | ${f(a.latencyMs.p50, 2)} | ${f(a.latencyMs.p99, 2)} | ${f(a.workerdCpuMsPerRequest, 3)} | ${f(a.cpuRatioToFloor, 2)} | ${f(a.otherCores, 2)} |`,
          ),
        ]
      : []),
    "",
    "| target | measured | met | by CPU per request | met by CPU |",
    "|---|---:|---|---:|---|",
    ...r.targets.map(
      (t) =>
        `| ${t.target} | ${t.value === null ? "–" : f(t.value, 2)} | ${t.pass ? "yes" : "**no**"} | ${t.cpuValue === null ? "" : f(t.cpuValue, 2)} | ${t.cpuPass === null ? "" : t.cpuPass ? "yes" : "**no**"} |`,
    ),
    "",
    `Worker bundle: ${f(r.bundles.worker.bundleBytes / 1024, 1)} KiB minified, ${f(r.bundles.worker.bundleGzipBytes / 1024, 1)} KiB gzipped (plus ${f(r.bundles.worker.wasmGzipBytes / 1024, 1)} KiB gzipped Argon2 WebAssembly). Client bundle: ${f(r.bundles.client.bytes / 1024, 1)} KiB minified, ${f(r.bundles.client.gzipBytes / 1024, 1)} KiB gzipped.`,
    r.login
      ? `auth.login CPU: ${f(r.login.loginCpuMs, 1)} ms per call in workerd (a login refused by input validation: ${f(r.login.rejectedCpuMs, 1)} ms; difference ${f(r.login.hashAndSessionCpuMs, 1)} ms); Argon2id alone in Node: ${f(r.login.argon2idNodeMs, 1)} ms.`
      : "",
    "",
    "D1 round trips per procedure (Server-Timing, one call each):",
    "",
    "| procedure | D1 round trips | note |",
    "|---|---:|---|",
    ...r.d1RoundTripsPerProcedure.map(
      (p) => `| ${p.procedure} | ${p.d1RoundTrips ?? "–"} | ${p.note ?? ""}${p.status !== 200 ? ` (HTTP ${p.status})` : ""} |`,
    ),
    "",
    ...r.scenarios.flatMap((s) => s.notes.map((n) => `- (${s.id}) ${n}`)),
  ];
  return lines.join("\n");
}

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";
export function writeBenchmarksMd(table: string) {
  const path = join(ROOT, "BENCHMARKS.md");
  const block = `${START}\n${table}\n${END}`;
  const current = existsSync(path) ? readFileSync(path, "utf8") : `# Benchmarks\n\n${START}\n${END}\n`;
  const next =
    current.includes(START) && current.includes(END)
      ? current.slice(0, current.indexOf(START)) + block + current.slice(current.indexOf(END) + END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
