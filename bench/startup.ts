// `npm run bench:startup`: what a new isolate costs before its first request. Builds the Worker as
// a deploy does (`wrangler deploy --dry-run --minify`, no bench routes), runs `wrangler check
// startup` on that bundle BENCH_STARTUP_RUNS times (default 9; one run's figure moves by ±30 % on a
// shared machine) and reports the median of "Active" (CPU while the top-level module code runs,
// garbage collection included), then adds up the runs' V8 samples (self time), mapped through the
// bundle's source map, by source package or file and by function.
// Writes bench/results/startup.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readRawConfig } from "../scripts/wrangler-config.ts";
import { ROOT } from "./runtime.ts";
import { SourceMap } from "./source-map.ts";

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 9);
const WORK = join(ROOT, ".wrangler", "bench-startup", String(process.pid));
const childEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const wrangler = (args: string[]) => execFileSync("npx", ["wrangler", ...args], { cwd: ROOT, env: childEnv, stdio: "pipe" }).toString();

/** The production bundle (multipart: index.js, its source map, the wasm), as `wrangler deploy` uploads it. */
function buildBundle(): string {
  const outfile = join(WORK, "worker.bundle");
  // Without the web app's build the assets directory is missing: a copy of the config without
  // [assets] builds the same Worker.
  const raw = readRawConfig(join(ROOT, "wrangler.toml"));
  const { assets: _assets, ...rest } = raw;
  const config = join(WORK, "wrangler.json");
  writeFileSync(config, JSON.stringify({ ...rest, main: join(ROOT, String(raw.main)) }, null, 2));
  wrangler(["deploy", "--dry-run", "--minify", "--outfile", outfile, "-c", config]);
  return outfile;
}

/** The source map inside the multipart bundle. */
async function sourceMapOf(bundle: string): Promise<SourceMap> {
  const bytes = readFileSync(bundle);
  const boundary = bytes.subarray(2, bytes.indexOf("\r\n")).toString();
  const form = await new Response(bytes, { headers: { "content-type": `multipart/form-data; boundary=${boundary}` } }).formData();
  const map = form.get("index.js.map");
  if (map === null) throw new Error("the bundle has no index.js.map");
  return new SourceMap(typeof map === "string" ? map : await map.text());
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

const short = (source: string) =>
  source.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "$1").replace(/^.*?\/?((?:worker|router|services|db|domain|lib)\/)/, "$1");

async function main() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  console.log("building the production bundle (wrangler deploy --dry-run --minify) …");
  const bundle = buildBundle();
  const map = await sourceMapOf(bundle);
  const actives: number[] = [];
  const bySource = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let sampledUs = 0;
  let bundleLine = "";
  for (let i = 0; i < RUNS; i++) {
    const outfile = join(WORK, `startup-${i}.cpuprofile`);
    const out = wrangler(["check", "startup", "--worker", bundle, "--outfile", outfile]);
    const active = /Active: ([\d.]+) ms/.exec(out);
    if (!active) throw new Error(`no "Active" in wrangler check startup's output:\n${out}`);
    actives.push(Number(active[1]));
    bundleLine = /Bundle: [^\n]*/.exec(out)?.[0] ?? bundleLine;
    console.log(`run ${i + 1}/${RUNS}: active ${active[1]} ms`);

    const profile = JSON.parse(readFileSync(outfile, "utf8")) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const [k, id] of profile.samples.entries()) {
      const us = profile.timeDeltas[k] ?? 0;
      const leaf = nodes.get(id);
      const fn = leaf?.callFrame.functionName ?? "";
      if (!leaf || fn === "(idle)" || fn === "(program)") continue;
      sampledUs += us;
      const { url, lineNumber, columnNumber } = leaf.callFrame;
      const pos = url.endsWith("index.js") && lineNumber >= 0 ? map.lookup(lineNumber + 1, columnNumber) : null;
      // The bundle's top level (every module's top-level statements, hoisted into one scope by
      // esbuild) has no position of its own: V8 names a frame by where its function starts.
      const source = pos?.source ? short(pos.source) : url.endsWith("index.js") ? "top-level code of the bundle's modules" : fn;
      bySource.set(source, (bySource.get(source) ?? 0) + us);
      const name = `${pos?.name ?? (fn || "(top level)")} (${source})`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    }
  }
  const perRun = (us: number) => us / 1000 / RUNS;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([what, us]) => ({ what, msPerRun: perRun(us) }));
  const report = {
    at: new Date().toISOString(),
    runs: RUNS,
    bundle: bundleLine,
    activeMs: actives,
    activeMsMedian: median(actives),
    sampledMsPerRun: perRun(sampledUs),
    bySource: top(bySource, 15),
    byFunction: top(byFunction, 25),
  };
  console.log(
    `\n${bundleLine}\nactive CPU at start-up, median of ${RUNS}: ${report.activeMsMedian.toFixed(1)} ms (runs: ${actives.join(", ")})`,
  );
  console.log(`\nself time by source (ms per start-up, ${report.sampledMsPerRun.toFixed(1)} ms sampled):`);
  for (const r of report.bySource) console.log(`  ${r.msPerRun.toFixed(2).padStart(6)}  ${r.what}`);
  console.log("\nself time by function:");
  for (const r of report.byFunction) console.log(`  ${r.msPerRun.toFixed(2).padStart(6)}  ${r.what}`);
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "results", "startup.json"), JSON.stringify(report, null, 2) + "\n");
  rmSync(WORK, { recursive: true, force: true });
}

await main();
