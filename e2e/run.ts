// Browser tests: builds the app, starts the Worker (e2e/server.ts), drives Debian's Chromium with
// playwright-core through each scenario (e2e/scenarios.ts), and stops everything it started. The
// Stripe scenarios (e2e/stripe-scenarios.ts) get a second Worker whose provider is Stripe, with
// the Stripe API fake and the fake Stripe.js behind Playwright's routes (e2e/stripe.ts).
// Each scenario leaves a screenshot in test-results/e2e/; a failing one also leaves a trace
// (open it with `npx playwright-core show-trace <file>` or https://trace.playwright.dev).
//
//   npm run test:e2e                      build, then every scenario
//   npm run test:e2e -- --no-build decline   skip the build; only scenarios whose name matches
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { accountScenarios } from "./account-scenarios.ts";
import { adminScenarios } from "./admin-scenarios.ts";
import { recoveryScenarios } from "./recovery-scenarios.ts";
import { scenarios as storefrontScenarios } from "./scenarios.ts";
import { sessionScenarios } from "./session-scenarios.ts";
import { shippingScenarios } from "./shipping-scenarios.ts";
import { PORT, startServer, type Server } from "./server.ts";
import { startStripeApi, type StripeApi } from "./stripe.ts";
import { stripeScenarios } from "./stripe-scenarios.ts";
import { variantScenarios } from "./variant-scenarios.ts";

const OUT = "test-results/e2e";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith("--"));
const scenarios = [
  ...storefrontScenarios,
  ...adminScenarios,
  ...sessionScenarios,
  ...accountScenarios,
  ...recoveryScenarios,
  ...shippingScenarios,
  ...variantScenarios,
  ...stripeScenarios,
];
const selected = scenarios.filter((s) => filters.length === 0 || filters.some((f) => s.name.includes(f)));

if (!existsSync(CHROMIUM)) {
  console.error(`e2e: no Chromium at ${CHROMIUM}; install it with: apt-get install -y chromium`);
  process.exit(1);
}
if (!args.includes("--no-build")) execFileSync("npm", ["run", "build:web", "--silent"], { stdio: "inherit" });
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

let server: Server | undefined;
let stripeServer: Server | undefined;
let stripeApi: StripeApi | undefined;
let browser: Browser | undefined;
const cleanUp = async () => {
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  await stripeServer?.stop().catch(() => {});
  await stripeApi?.stop().catch(() => {});
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));
}

const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
try {
  if (selected.some((s) => !s.stripe)) server = await startServer(`${OUT}/wrangler.log`);
  if (selected.some((s) => s.stripe)) {
    // The Stripe scenarios' Worker (PORT + 1) and the Stripe API fake it talks to (PORT + 2).
    const stripePort = PORT + 1;
    const webhookSecret = `whsec_e2e_${crypto.randomUUID().replace(/-/g, "")}`;
    stripeApi = await startStripeApi({ port: PORT + 2, webhookUrl: `http://127.0.0.1:${stripePort}/webhooks/payments`, webhookSecret });
    stripeServer = await startServer(`${OUT}/wrangler-stripe.log`, {
      port: stripePort,
      state: ".wrangler/e2e-stripe-state",
      payments: { provider: "stripe", apiBase: stripeApi.url, webhookSecret, publishableKey: "pk_test_e2e_0123456789" },
    });
  }
  // launch() gives Chromium a fresh temporary profile (user-data-dir) and removes it on close.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });

  for (const scenario of selected) {
    const started = Date.now();
    const target = scenario.stripe ? stripeServer : server;
    if (!target) throw new Error("no server for this scenario");
    const context = await browser.newContext({
      baseURL: target.url,
      viewport: scenario.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
      isMobile: scenario.phone ?? false,
      hasTouch: scenario.phone ?? false,
    });
    if (scenario.stripe) await stripeApi?.route(context);
    await context.tracing.start({ screenshots: true, snapshots: true, title: scenario.name });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // Anything the page logs as an error (a failed asset, a CSP violation, an exception) fails the scenario.
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      // Expected API refusals (401 on a wrong password, 412 on a declined card) show up as failed loads.
      if (message.type() === "error" && !/status of (400|401|403|404|409|412|422)\b/.test(message.text())) {
        pageErrors.push(`console: ${message.text()}`);
      }
    });
    page.on("dialog", (dialog) => void dialog.accept());
    const file = scenario.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    try {
      await scenario.run({
        page,
        shot: (name) => page.screenshot({ path: `${OUT}/pages/${name}.png`, fullPage: true }).then(() => {}),
        expire: target.expire,
        cron: target.cron,
      });
      if (pageErrors.length) throw new Error(`errors in the page:\n  ${pageErrors.join("\n  ")}`);
      await page.screenshot({ path: `${OUT}/${file}.png`, fullPage: true });
      await context.tracing.stop();
      results.push({ name: scenario.name, ok: true, ms: Date.now() - started });
    } catch (error) {
      await page.screenshot({ path: `${OUT}/${file}.png`, fullPage: true }).catch(() => {});
      await context.tracing.stop({ path: `${OUT}/${file}-trace.zip` }).catch(() => {});
      results.push({
        name: scenario.name,
        ok: false,
        ms: Date.now() - started,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    await context.close();
  }
} finally {
  await cleanUp();
}

for (const r of results) {
  console.log(
    `${r.ok ? "✓" : "✗"} ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.error ? `\n    ${r.error.split("\n").join("\n    ")}` : ""}`,
  );
}
const failed = results.filter((r) => !r.ok).length;
console.log(`\ne2e: ${results.length - failed} passed, ${failed} failed; screenshots${failed ? " and traces" : ""} in ${OUT}/`);
process.exit(failed || results.length === 0 ? 1 : 0);
