// `npm run bench:login-timing`: does login timing tell known emails from unknown ones?
// Sequential logins with a wrong password, alternating a known email and an unknown one, each
// from its own client address; reports both latency distributions and their difference.
// `npm run bench:reset-timing` (TIMING_PROCEDURE=reset) asks the same of
// auth.requestPasswordReset.
//
// Environment: TIMING_TRIES (60 per side), BENCH_PORT (8793), TIMING_PROCEDURE (login | reset).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { seedSql } from "../scripts/seed.ts";
import { buildFloorWorker, buildWorker, migrateAndSeed, startRuntime, type Runtime } from "./runtime.ts";
import { present } from "./present.ts";

const TRIES = Number(process.env.TIMING_TRIES || 60);
const PORT = Number(process.env.BENCH_PORT || 8793);
const PROCEDURE = process.env.TIMING_PROCEDURE === "reset" ? "reset" : "login";
// Each email, known or not, is tried once: the first attempt on an email also creates its
// per-email RateLimiter Durable Object (a few ms), so reusing known emails would compare a warm
// limiter against a cold one and measure the limiter instead of the password check.
const KNOWN_USERS = TRIES;

let runtime: Runtime | null = null;

async function login(base: string, email: string, ip: string) {
  const started = performance.now();
  const [path, json] =
    PROCEDURE === "reset" ? ["auth.requestPasswordReset", { email }] : ["auth.login", { email, password: "Not-The-Password-1" }];
  const response = await fetch(`${base}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ json }),
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  const at = (q: number) => present(sorted[Math.floor(sorted.length * q)], `${q} quantile of ${values.length} samples`);
  return { mean: +mean.toFixed(2), median: +at(0.5).toFixed(2), p90: +at(0.9).toFixed(2), sd: +sd.toFixed(2) };
};

async function main() {
  buildWorker((b) => gzipSync(b).length);
  await buildFloorWorker();
  runtime = await startRuntime(PORT);
  await migrateAndSeed(runtime, seedSql);
  const base = runtime.url;
  const known: string[] = [];
  for (let i = 0; i < KNOWN_USERS; i++) {
    const email = `timing-${randomUUID()}@example.test`;
    const r = await fetch(`${base}/trpc/auth.signup`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": `10.88.${1 + Math.floor(i / 8)}.${(i % 8) + 1}` },
      body: JSON.stringify({ json: { email, password: "Timing-Pass-123", name: "Timing" } }),
    });
    if (!r.ok) throw new Error(`signup failed: ${r.status}`);
    known.push(email);
  }
  // Warm the isolate (WebAssembly instance, JIT) before measuring.
  for (let i = 0; i < 5; i++) await login(base, `warm-${i}@example.test`, `10.88.2.${i + 1}`);
  const knownMs: number[] = [];
  const unknownMs: number[] = [];
  const statuses = new Set<number>();
  for (let i = 0; i < TRIES; i++) {
    const knownCall = () =>
      login(base, present(known[i % known.length], "known user"), `10.88.${10 + Math.floor(i / 200)}.${(i % 200) + 1}`);
    const unknownCall = () => login(base, `nobody-${randomUUID()}@example.test`, `10.88.${20 + Math.floor(i / 200)}.${(i % 200) + 1}`);
    // Alternate which goes first, so whatever runs in the background after one kind of call
    // (the reset mail's consumer, say) falls on both kinds alike.
    let a, b;
    if (i % 2 === 0) {
      a = await knownCall();
      b = await unknownCall();
    } else {
      b = await unknownCall();
      a = await knownCall();
    }
    knownMs.push(a.ms);
    unknownMs.push(b.ms);
    statuses.add(a.status).add(b.status);
  }
  const k = stats(knownMs);
  const u = stats(unknownMs);
  // Welch's t statistic: |t| well under 2 means the difference is within the noise.
  const t = (k.mean - u.mean) / Math.sqrt(k.sd ** 2 / TRIES + u.sd ** 2 / TRIES);
  const result = {
    procedure: PROCEDURE,
    tries: TRIES,
    statuses: [...statuses],
    knownEmailWrongPassword: k,
    unknownEmail: u,
    meanDifferenceMs: +(k.mean - u.mean).toFixed(2),
    medianDifferenceMs: +(k.median - u.median).toFixed(2),
    welchT: +t.toFixed(2),
  };
  console.log(JSON.stringify(result, null, 2));
}

main()
  .then(async () => {
    await runtime?.stop();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    console.error(error);
    await runtime?.stop();
    process.exit(1);
  });
