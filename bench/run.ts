// `npm run bench`: builds the Worker, runs it in workerd on 127.0.0.1 with fresh seeded data,
// drives every scenario (bench/scenarios/, in the order below) with autocannon and writes
// bench/results/latest.json and the results table in BENCHMARKS.md. `npm run bench:smoke` does the
// same with 2-second runs and writes bench/results/smoke.json only. Benchmarks are not tests:
// nothing here fails on a timing.
//
// Environment: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (16),
// BENCH_CHECKOUT_USERS (200), BENCH_RACE_USERS (50), BENCH_RACE_STOCK (10), BENCH_PORT (8790),
// BENCH_ONLY (comma-separated scenario ids, e.g. "1,3,10"), BENCH_SMOKE=1 (bench/harness.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PARTIAL, RESULTS_DIR, SMOKE, log, stopAll, stopOnExit, want } from "./harness.ts";
import { probeRoundTrips } from "./probes.ts";
import { renderTable, writeBenchmarksMd } from "./report.ts";
import { ROOT } from "./runtime.ts";
import type { BenchScenario } from "./scenario.ts";
import { attribution } from "./scenarios/attribution.ts";
import { batch } from "./scenarios/batch.ts";
import { bookmark } from "./scenarios/bookmark.ts";
import { cachedGet } from "./scenarios/cached-get.ts";
import { cart } from "./scenarios/cart.ts";
import { chain } from "./scenarios/chain.ts";
import { checkout } from "./scenarios/checkout.ts";
import { edgeCache } from "./scenarios/edge-cache.ts";
import { driftCheck, floor } from "./scenarios/floor.ts";
import { listPage } from "./scenarios/list-page.ts";
import { login } from "./scenarios/login.ts";
import { peer } from "./scenarios/peer.ts";
import { search } from "./scenarios/search.ts";
import { uncachedGet, uncachedSearch } from "./scenarios/uncached.ts";
import { setUp } from "./setup.ts";
import { summarise } from "./summary.ts";

// The order matters: 9 reuses 8's sessions; 12 and 4 leave the KV simulator slower for minutes
// (bench/scenarios/uncached.ts), so they run last, just before the drift check.
const ORDER: BenchScenario[] = [
  floor,
  chain,
  cachedGet,
  peer,
  listPage,
  search,
  cart,
  batch,
  edgeCache,
  bookmark,
  login,
  checkout,
  attribution,
  uncachedSearch,
  uncachedGet,
  driftCheck,
];

async function main() {
  stopOnExit();
  const ctx = await setUp();
  const probes = await probeRoundTrips(ctx);
  for (const scenario of ORDER) if (scenario.when ? scenario.when() : want(scenario.id)) await scenario.run(ctx);

  const workerErrors = [...ctx.rt.errors];
  await stopAll();

  const report = summarise(ctx, probes, workerErrors);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = join(RESULTS_DIR, SMOKE ? "smoke.json" : PARTIAL ? "partial.json" : "latest.json");
  writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  const table = renderTable(report);
  console.log("\n" + table);
  if (!SMOKE && !PARTIAL) writeBenchmarksMd(table);
  log(`results: ${out.replace(ROOT + "/", "")}${!SMOKE && !PARTIAL ? " and BENCHMARKS.md" : ""}`);
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
