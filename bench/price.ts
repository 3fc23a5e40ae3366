// `npm run bench:price`: what single runtime operations cost in workerd, in µs of workerd CPU
// each. Each is run n times inside one request to the bench Worker (/diag/price), so HTTP,
// Miniflare's entry Worker and the load generator stay out of the figure; the price is
// (CPU of a request with n) − (CPU of a request with 0), divided by n; the median of five.
// A diagnostic for the middleware chain's cost (BENCHMARKS.md), not a benchmark scenario.
import { gzipSync } from "node:zlib";
import { buildFloorWorker, buildWorker, startRuntime, workerdCpuMs } from "./runtime.ts";

const N = Number(process.env.BENCH_PRICE_N ?? 4000);
const REPEATS = 5;

buildWorker((b) => gzipSync(b).length);
await buildFloorWorker();
const rt = await startRuntime(Number(process.env.BENCH_PORT ?? 8790));
try {
  const price = (op: string, n: number) => fetch(`${rt.url}/diag/price?op=${encodeURIComponent(op)}&n=${n}`).then((r) => r.json());
  const { ops } = (await price("?", 0)) as { ops: string[] };
  console.log(`| operation | µs of workerd CPU each (median of ${REPEATS}, n = ${N}) | min–max |`);
  console.log("|---|---:|---|");
  for (const op of ops) {
    await price(op, N); // warm the JIT
    const samples: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const a = workerdCpuMs(rt);
      await price(op, 0);
      const b = workerdCpuMs(rt);
      await price(op, N);
      const c = workerdCpuMs(rt);
      samples.push(((c - b - (b - a)) * 1000) / N);
    }
    samples.sort((x, y) => x - y);
    console.log(`| ${op} | ${samples[2]?.toFixed(1)} | ${samples[0]?.toFixed(1)}–${samples.at(-1)?.toFixed(1)} |`);
  }
} finally {
  await rt.stop();
}
