// `npm run bench:drop`: a limited-stock drop against local workerd. One product with DROP_STOCK
// units (500), DROP_BUYERS distinct signed-in buyers (5 000) arriving at random within
// DROP_ARRIVAL_SECONDS (30), each adding it to the cart and placing an order. Accounts, sessions
// and access tokens are made before the clock starts, straight in D1 with one precomputed Argon2id
// hash (as `npm run bench` makes its users), so no hashing happens during the drop. Bounded and
// self-stopping: at most DROP_IN_FLIGHT buyers in flight, and whatever has not answered
// DROP_DEADLINE_SECONDS (300) after the first arrival is aborted and counted as unanswered.
// Meanwhile `catalog.get` of the product is read DROP_PROBE_RPS times a second (10), as it is for
// the same time before the drop (idle), for its p99 during the drop vs idle.
//
// Reports units sold (D1), orders/s while stock lasted, 5xx, p50/p99 time to an answer for the
// buyers who got one and for those refused, the D1 round trips (Server-Timing) and workerd CPU of
// a refusal after sell-out, and catalog.get's p99s. Writes bench/results/drop.json.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { SignJWT } from "jose";
import { seedSql } from "../scripts/seed.ts";
import { d1Trips, login, ok, trpc, type Call } from "./calls.ts";
import { present } from "./present.ts";
import { ROOT, buildFloorWorker, buildWorker, d1, migrateAndSeed, startRuntime, workerdCpuMs, type Runtime } from "./runtime.ts";
import { argon2idNode, gzip } from "./static.ts";

const num = (name: string, fallback: number) => {
  const v = process.env[name];
  return v !== undefined && v !== "" ? Number(v) : fallback;
};
const STOCK = num("DROP_STOCK", 500);
const BUYERS = num("DROP_BUYERS", 5000);
const ARRIVAL_SECONDS = num("DROP_ARRIVAL_SECONDS", 30);
const IN_FLIGHT = num("DROP_IN_FLIGHT", 512);
const DEADLINE_SECONDS = num("DROP_DEADLINE_SECONDS", 300);
const PROBE_RPS = num("DROP_PROBE_RPS", 10);
const PORT = num("BENCH_PORT", 8790);
const PASSWORD = "Bench-Pass-1234";
// wrangler.toml's [vars]: the issuer and audience every access token must carry.
const ISSUER = "storefront-api";
const AUDIENCE = "storefront";

const log = (...args: unknown[]) => console.log(`[drop ${new Date().toISOString().slice(11, 19)}]`, ...args);

/** An access token as domain/access-token.ts signs one (HS256, kid from the secret, sid = session family). */
async function accessToken(secret: string, userId: string, family: string): Promise<string> {
  const kid = createHash("sha256").update(secret).digest("hex").slice(0, 12);
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: family })
    .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + 15 * 60)
    .sign(new TextEncoder().encode(secret));
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const reasonOf = (c: Call) =>
  c.status === 200
    ? "200"
    : `${c.status}:${(c.body as { error?: { json?: { data?: { reason?: string } } } })?.error?.json?.data?.reason ?? "?"}`;

interface Outcome {
  arrivedMs: number;
  answeredMs: number;
  /** "sold", "refused" (a 4xx with a reason), "5xx", "unanswered". */
  kind: "sold" | "refused" | "5xx" | "unanswered";
  /** Which call answered last: the cart's or the order's. */
  step: "cart.addItem" | "checkout.placeOrder";
  reason: string;
  d1RoundTrips: number | null;
}

/** catalog.get of the product at a fixed rate until stopped; the latencies of its answers. */
function probeCatalog(rt: Runtime, slug: string) {
  const latencies: number[] = [];
  let errors = 0;
  let running = true;
  const done = (async () => {
    let next = performance.now();
    while (running) {
      next += 1000 / PROBE_RPS;
      void trpc(rt, "catalog.get", { slug }).then((c) => {
        if (c.status === 200) latencies.push(c.ms);
        else errors++;
      });
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return { n: latencies.length, errors, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
    },
  };
}

let rt: Runtime | null = null;
const stop = async () => {
  const r = rt;
  rt = null;
  await r?.stop();
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => void stop().finally(() => process.exit(130)));

async function main() {
  log(`${BUYERS} buyers for ${STOCK} units, arriving within ${ARRIVAL_SECONDS} s; at most ${IN_FLIGHT} in flight`);
  buildWorker(gzip);
  await buildFloorWorker();
  const argon = await argon2idNode(PASSWORD);
  rt = await startRuntime(PORT);
  const runtime = rt;
  await migrateAndSeed(runtime, seedSql);
  const db = await d1(runtime);

  // The product: one seeded active product, its stock set to STOCK by the admin, as a shop would.
  const product = present(
    (await db.prepare("select id, slug from products where status = 'active' order by slug limit 1").all<{ id: string; slug: string }>())
      .results[0],
    "an active product",
  );
  const admin = await login(runtime, "admin@storefront.local", "Admin-Storefront-1");
  await ok(
    trpc(runtime, "admin.products.setStock", { productId: product.id, stock: STOCK }, { token: admin.accessToken, mutation: true }),
    "setStock",
  );

  // Buyers: a user, a session and a signed access token each, before the clock starts.
  log("making the buyers' accounts and sessions in D1 …");
  const buyers = await Promise.all(
    Array.from({ length: BUYERS }, async (_, i) => {
      const id = randomUUID();
      const family = randomUUID();
      return { i, id, family, token: await accessToken(runtime.secrets.JWT_SECRET, id, family) };
    }),
  );
  const expires = Date.now() + 30 * 24 * 3600 * 1000;
  for (let i = 0; i < buyers.length; i += 50) {
    await db.batch(
      buyers
        .slice(i, i + 50)
        .flatMap((b) => [
          db
            .prepare("insert into users (id, email, name, password_hash, role) values (?1, ?2, ?3, ?4, 'customer')")
            .bind(b.id, `drop${b.i}@bench.local`, `Drop buyer ${b.i}`, argon.phc),
          db
            .prepare("insert into sessions (id, user_id, family_id, token_hash, expires_at) values (?1, ?2, ?3, ?4, ?5)")
            .bind(randomUUID(), b.id, b.family, randomBytes(32).toString("hex"), expires),
        ]),
    );
  }
  const me = await trpc(runtime, "auth.me", undefined, { token: present(buyers[0], "a buyer").token });
  if (me.status !== 200) throw new Error(`a buyer's token is refused (HTTP ${me.status}): ${JSON.stringify(me.body).slice(0, 300)}`);

  // Idle: catalog.get's latency for as long as the drop's arrivals last.
  await trpc(runtime, "catalog.get", { slug: product.slug });
  log(`idle catalog.get probe, ${ARRIVAL_SECONDS} s …`);
  const idleProbe = probeCatalog(runtime, product.slug);
  await new Promise((r) => setTimeout(r, ARRIVAL_SECONDS * 1000));
  const idle = await idleProbe.stop();

  // The drop.
  const address = { name: "Drop Buyer", line1: "1 Queue Street", city: "Springfield", region: "OR", postalCode: "12345", country: "US" };
  const arrivals = buyers.map((b) => ({ b, at: Math.random() * ARRIVAL_SECONDS * 1000 })).sort((x, y) => x.at - y.at);
  const outcomes: Outcome[] = [];
  const deadline = new AbortController();
  const t0 = performance.now();
  const timer = setTimeout(() => deadline.abort(), DEADLINE_SECONDS * 1000);
  const cpu0 = workerdCpuMs(runtime);
  log("drop: go");
  const busyProbe = probeCatalog(runtime, product.slug);
  let inFlight = 0;
  const slots: (() => void)[] = [];
  const buy = async (b: (typeof buyers)[number], arrivedMs: number) => {
    const opts = { token: b.token, mutation: true };
    const finish = (kind: Outcome["kind"], step: Outcome["step"], c: Call | null): void => {
      outcomes.push({
        arrivedMs,
        answeredMs: performance.now() - t0,
        kind,
        step,
        reason: c ? reasonOf(c) : "aborted",
        d1RoundTrips: c ? d1Trips(c.serverTiming) : null,
      });
    };
    try {
      if (deadline.signal.aborted) return finish("unanswered", "cart.addItem", null);
      const add = await trpc(runtime, "cart.addItem", { productId: product.id, quantity: 1 }, opts);
      if (add.status !== 200) return finish(add.status >= 500 ? "5xx" : "refused", "cart.addItem", add);
      if (deadline.signal.aborted) return finish("unanswered", "checkout.placeOrder", null);
      const order = await trpc(
        runtime,
        "checkout.placeOrder",
        { idempotencyKey: `drop-${b.id}`, shippingAddress: address, paymentToken: "tok_visa" },
        opts,
      );
      finish(order.status === 200 ? "sold" : order.status >= 500 ? "5xx" : "refused", "checkout.placeOrder", order);
    } catch {
      finish("unanswered", "checkout.placeOrder", null);
    }
  };
  const all: Promise<void>[] = [];
  for (const { b, at } of arrivals) {
    const wait = at - (performance.now() - t0);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // A buyer who cannot get a slot waits for one: their time to an answer counts from arrival.
    while (inFlight >= IN_FLIGHT) await new Promise<void>((r) => slots.push(r));
    inFlight++;
    const arrivedMs = at;
    all.push(
      buy(b, arrivedMs).finally(() => {
        inFlight--;
        slots.shift()?.();
      }),
    );
  }
  await Promise.all(all);
  clearTimeout(timer);
  const busy = await busyProbe.stop();
  const dropCpuMs = workerdCpuMs(runtime) - cpu0;
  const wallMs = performance.now() - t0;
  log(`drop: all ${outcomes.length} buyers answered or given up after ${(wallMs / 1000).toFixed(1)} s`);

  // A refusal after sell-out, one at a time: its D1 round trips and workerd CPU.
  const late = buyers.slice(-Math.min(50, buyers.length));
  const lateCalls: Call[] = [];
  const lateCpu0 = workerdCpuMs(runtime);
  for (const b of late) {
    const c = await trpc(runtime, "cart.addItem", { productId: product.id, quantity: 1 }, { token: b.token, mutation: true });
    lateCalls.push(
      c.status === 200
        ? await trpc(
            runtime,
            "checkout.placeOrder",
            { idempotencyKey: `late-${b.id}`, shippingAddress: address, paymentToken: "tok_visa" },
            { token: b.token, mutation: true },
          )
        : c,
    );
  }
  const refusalCpuMs = (workerdCpuMs(runtime) - lateCpu0) / late.length;

  // D1 is the ground truth.
  const sold =
    (
      await db
        .prepare(
          "select coalesce(sum(ol.quantity), 0) as n from order_lines ol join orders o on o.id = ol.order_id where o.status = 'paid' and ol.product_id = ?1",
        )
        .bind(product.id)
        .first<{ n: number }>()
    )?.n ?? 0;
  const left = (await db.prepare("select stock from products where id = ?1").bind(product.id).first<{ stock: number }>())?.stock;
  const workerErrors = [...runtime.errors];
  await stop();

  const soldOutcomes = outcomes.filter((o) => o.kind === "sold");
  const refused = outcomes.filter((o) => o.kind === "refused");
  const lastSaleMs = Math.max(...soldOutcomes.map((o) => o.answeredMs));
  const firstArrivalMs = Math.min(...outcomes.map((o) => o.arrivedMs));
  // Refusals answered once the last unit was sold (every buyer may have arrived before that).
  const afterSellOut = refused.filter((o) => o.answeredMs > lastSaleMs);
  const byReason: Record<string, number> = {};
  for (const o of outcomes) byReason[`${o.step} ${o.reason}`] = (byReason[`${o.step} ${o.reason}`] ?? 0) + 1;
  const wait = (os: Outcome[]) => os.map((o) => o.answeredMs - o.arrivedMs);
  const trips = (os: { d1RoundTrips: number | null }[]) => {
    const counts: Record<string, number> = {};
    for (const o of os) counts[String(o.d1RoundTrips)] = (counts[String(o.d1RoundTrips)] ?? 0) + 1;
    return counts;
  };
  const report = {
    at: new Date().toISOString(),
    settings: { stock: STOCK, buyers: BUYERS, arrivalSeconds: ARRIVAL_SECONDS, inFlight: IN_FLIGHT, deadlineSeconds: DEADLINE_SECONDS },
    unitsSoldPerD1: sold,
    stockLeft: left,
    sold: soldOutcomes.length,
    refused: refused.length,
    fiveHundreds: outcomes.filter((o) => o.kind === "5xx").length,
    unanswered: outcomes.filter((o) => o.kind === "unanswered").length,
    outcomes: byReason,
    ordersPerSecondWhileStockLasted: soldOutcomes.length / ((lastSaleMs - firstArrivalMs) / 1000),
    sellOutAfterSeconds: lastSaleMs / 1000,
    answerMs: {
      sold: { p50: quantile(wait(soldOutcomes), 0.5), p99: quantile(wait(soldOutcomes), 0.99) },
      refused: { p50: quantile(wait(refused), 0.5), p99: quantile(wait(refused), 0.99) },
    },
    refusalAfterSellOut: {
      duringDrop: {
        n: afterSellOut.length,
        d1RoundTripsOfTheRefusingCall: trips(afterSellOut),
        refusedBy: afterSellOut.reduce<Record<string, number>>((m, o) => ({ ...m, [o.step]: (m[o.step] ?? 0) + 1 }), {}),
      },
      sequential: {
        n: late.length,
        statuses: lateCalls.reduce<Record<string, number>>((m, c) => ({ ...m, [reasonOf(c)]: (m[reasonOf(c)] ?? 0) + 1 }), {}),
        d1RoundTripsOfTheRefusingCall: trips(lateCalls.map((c) => ({ d1RoundTrips: d1Trips(c.serverTiming) }))),
        workerdCpuMsPerBuyer: refusalCpuMs,
      },
    },
    workerdCpuMsPerBuyerDuringDrop: dropCpuMs / outcomes.length,
    catalogGet: { idle, duringDrop: busy, p99Ratio: busy.p99 / idle.p99 },
    workerErrors: workerErrors.length,
  };
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "results", "drop.json"), JSON.stringify(report, null, 2) + "\n");
  const f = (n: number) => n.toFixed(0);
  console.log(`
units sold (D1): ${sold} of ${STOCK} (stock left ${left}); ${soldOutcomes.length} orders answered 200
orders/s while stock lasted: ${report.ordersPerSecondWhileStockLasted.toFixed(1)} (sold out ${report.sellOutAfterSeconds.toFixed(1)} s after the first arrival)
5xx: ${report.fiveHundreds}; unanswered: ${report.unanswered}; outcomes: ${JSON.stringify(byReason)}
time to an answer, bought: p50 ${f(report.answerMs.sold.p50)} ms, p99 ${f(report.answerMs.sold.p99)} ms
time to an answer, refused: p50 ${f(report.answerMs.refused.p50)} ms, p99 ${f(report.answerMs.refused.p99)} ms
a refusal after sell-out: D1 round trips of the refusing call ${JSON.stringify(report.refusalAfterSellOut.duringDrop.d1RoundTripsOfTheRefusingCall)} (during the drop), ${JSON.stringify(report.refusalAfterSellOut.sequential.d1RoundTripsOfTheRefusingCall)} (one at a time: ${JSON.stringify(report.refusalAfterSellOut.sequential.statuses)}); workerd CPU ${refusalCpuMs.toFixed(2)} ms per refused buyer (both calls)
catalog.get p99: idle ${f(idle.p99)} ms (${idle.n} reads), during the drop ${f(busy.p99)} ms (${busy.n} reads, ${busy.errors} errors): ${report.catalogGet.p99Ratio.toFixed(2)} ×
workerd CPU per buyer during the drop: ${report.workerdCpuMsPerBuyerDuringDrop.toFixed(2)} ms; Worker error lines: ${workerErrors.length}`);
}

main()
  .catch(async (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stop());
