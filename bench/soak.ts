// `npm run bench:soak`: a bounded soak of mixed traffic (default 60 s, 16 concurrent loops) on
// loopback against the Worker in workerd, with seeded data. Fails (exit 1) on any 5xx or any
// lost write: every order the API acknowledged must be in D1 afterwards, and each product's
// stock must equal its starting stock minus what paid orders hold.
//
// Environment: SOAK_SECONDS (60), SOAK_CONCURRENCY (16), SOAK_USERS (24), BENCH_PORT (8792).
import { randomUUID } from "node:crypto";
import { seedSql } from "../scripts/seed.ts";
import { present } from "./present.ts";
import { buildFloorWorker, buildWorker, d1, migrateAndSeed, startRuntime, type Runtime } from "./runtime.ts";
import { gzipSync } from "node:zlib";

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const SECONDS = num("SOAK_SECONDS", 60);
const CONCURRENCY = num("SOAK_CONCURRENCY", 16);
const USERS = num("SOAK_USERS", 24);
const PORT = num("BENCH_PORT", 8792);
const PASSWORD = "Soak-Pass-12345";
const ADDRESS = { name: "Soak Tester", line1: "1 Loop Road", city: "Localhost", region: "OR", postalCode: "12700", country: "US" };

let runtime: Runtime | null = null;
const stop = async () => {
  const rt = runtime;
  runtime = null;
  await rt?.stop();
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stop().finally(() => process.exit(130)));

interface Call {
  status: number;
  body: unknown;
}

async function trpc(
  base: string,
  procedure: string,
  input: unknown,
  opts: { token?: string; ip: string; mutation?: boolean },
): Promise<Call> {
  const headers: Record<string, string> = { "cf-connecting-ip": opts.ip, "content-type": "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const wire = JSON.stringify({ json: input });
  const response = opts.mutation
    ? await fetch(`${base}/trpc/${procedure}`, { method: "POST", headers, body: wire, signal: AbortSignal.timeout(10_000) })
    : await fetch(`${base}/trpc/${procedure}?input=${encodeURIComponent(wire)}`, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

const data = (call: Call) => (call.body as { result?: { data?: { json?: unknown } } }).result?.data?.json;

async function main() {
  const started = Date.now();
  buildWorker((b) => gzipSync(b).length);
  await buildFloorWorker();
  runtime = await startRuntime(PORT);
  await migrateAndSeed(runtime, seedSql);
  const base = runtime.url;
  const db = await d1(runtime);
  const products = (
    await db
      .prepare("select id, slug, stock from products where status = 'active' and stock > 50 order by id limit 40")
      .all<{ id: string; slug: string; stock: number }>()
  ).results;
  const startStock = new Map(products.map((p) => [p.id, p.stock]));
  const paidBefore = new Map<string, number>();
  for (const p of products) {
    const row = await db
      .prepare(
        "select coalesce(sum(ol.quantity), 0) as n from order_lines ol join orders o on o.id = ol.order_id where ol.product_id = ?1 and o.status in ('paid','shipped','delivered')",
      )
      .bind(p.id)
      .first<{ n: number }>();
    paidBefore.set(p.id, row?.n ?? 0);
  }

  console.log(`soak: ${USERS} users signing up`);
  const users: { token: string; ip: string }[] = [];
  for (let i = 0; i < USERS; i++) {
    const ip = `10.77.${Math.floor(i / 200)}.${(i % 200) + 1}`;
    const signup = await trpc(
      base,
      "auth.signup",
      { email: `soak-${randomUUID()}@example.test`, password: PASSWORD, name: `Soak ${i}` },
      { ip, mutation: true },
    );
    const tokens = data(signup) as { accessToken: string } | undefined;
    if (!tokens) throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body).slice(0, 200)}`);
    users.push({ token: tokens.accessToken, ip });
  }

  const status = new Map<number, number>();
  const acknowledged: string[] = [];
  let requests = 0;
  let failures = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const pick = <T>(items: T[]) => present(items[Math.floor(Math.random() * items.length)], "an item to pick");

  async function loop(n: number) {
    let k = 0;
    while (Date.now() < deadline) {
      const user = present(users[(n + k++ * CONCURRENCY) % users.length], "soak user");
      const product = pick(products);
      const roll = Math.random();
      let call: Call;
      try {
        if (roll < 0.3) call = await trpc(base, "catalog.get", { slug: product.slug }, { ip: user.ip });
        else if (roll < 0.5) call = await trpc(base, "catalog.list", { limit: 20 }, { ip: user.ip });
        else if (roll < 0.6) call = await trpc(base, "cart.get", undefined, { ip: user.ip, token: user.token });
        else if (roll < 0.8)
          call = await trpc(
            base,
            "cart.addItem",
            { productId: product.id, quantity: 1 },
            { ip: user.ip, token: user.token, mutation: true },
          );
        else if (roll < 0.95) {
          call = await trpc(
            base,
            "checkout.placeOrder",
            { idempotencyKey: `soak-${randomUUID()}`, shippingAddress: ADDRESS, paymentToken: "tok_visa" },
            { ip: user.ip, token: user.token, mutation: true },
          );
          const order = data(call) as { id?: string } | undefined;
          if (call.status === 200 && order?.id) acknowledged.push(order.id);
        } else call = { status: (await fetch(`${base}/healthz`)).status, body: null };
      } catch (error) {
        failures++;
        console.error("soak: request failed:", String(error));
        continue;
      }
      requests++;
      status.set(call.status, (status.get(call.status) ?? 0) + 1);
      if (call.status >= 500) console.error("soak: 5xx:", JSON.stringify(call.body).slice(0, 300));
    }
  }
  console.log(`soak: ${SECONDS} s of mixed traffic, ${CONCURRENCY} concurrent loops`);
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, n) => loop(n)));

  // Every acknowledged order is in D1, paid, and stock adds up.
  let lost = 0;
  for (let i = 0; i < acknowledged.length; i += 50) {
    const chunk = acknowledged.slice(i, i + 50);
    const found = await db
      .prepare(`select count(*) as n from orders where status = 'paid' and id in (${chunk.map((_, j) => `?${j + 1}`).join(",")})`)
      .bind(...chunk)
      .first<{ n: number }>();
    lost += chunk.length - (found?.n ?? 0);
  }
  let stockMismatches = 0;
  for (const p of products) {
    const row = await db
      .prepare(
        `select p.stock as stock, (select coalesce(sum(ol.quantity), 0) from order_lines ol join orders o on o.id = ol.order_id
           where ol.product_id = p.id and o.status in ('paid','shipped','delivered')) as sold from products p where p.id = ?1`,
      )
      .bind(p.id)
      .first<{ stock: number; sold: number }>();
    if (!row || row.stock !== startStock.get(p.id)! - (row.sold - paidBefore.get(p.id)!)) stockMismatches++;
  }
  const n5xx = [...status].filter(([s]) => s >= 500).reduce((sum, [, n]) => sum + n, 0);
  const summary = {
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    requests,
    requestsPerSecond: Math.round(requests / SECONDS),
    status: Object.fromEntries([...status].sort()),
    networkFailures: failures,
    acknowledgedOrders: acknowledged.length,
    lostWrites: lost,
    stockMismatches,
    n5xx,
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  console.log(JSON.stringify(summary, null, 2));
  const ok = n5xx === 0 && lost === 0 && stockMismatches === 0 && failures === 0;
  console.log(ok ? "soak: 1 passed, 0 failed" : "soak: 0 passed, 1 failed");
  return ok;
}

main()
  .then(async (ok) => {
    await stop();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (error: unknown) => {
    console.error(error);
    await stop();
    process.exit(1);
  });
