// The run's report: ratios to the floor, the targets, and the JSON that bench/results/*.json holds
// (bench/report.ts renders its table).
import {
  CHECKOUT_USERS,
  CONNECTIONS,
  IP_POOL,
  QUIET_CORES,
  QUIET_WAIT,
  RACE_STOCK,
  RACE_USERS,
  SECONDS,
  SETTLE,
  SMOKE,
  WARMUP,
  attribution,
  pairedFloors,
  scenarios,
  type Scenario,
} from "./harness.ts";
import type { Probe } from "./probes.ts";
import { PERSIST_DIR } from "./runtime.ts";
import type { BenchContext } from "./setup.ts";
import { machine, versions } from "./static.ts";

export function summarise(ctx: BenchContext, probes: Probe[], workerErrors: string[]) {
  const { startedAt, worker, client, composition, checkout, loginCpu } = ctx;
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
    // The middleware chain (2) has no target any more: its steps are product requirements and cost
    // what they cost (BENCHMARKS.md, "What the middleware chain costs"); its ratio stays in the table.
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
      target: "cached catalog.get vs plain Hono peer in the same Worker (3 / 10) ≥ 1.0",
      value: peerRatio,
      cpuValue: peerRatioCpu,
      pass: atLeast(peerRatio, 1),
      cpuPass: atLeast(peerRatioCpu, 1),
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
  return report;
}
