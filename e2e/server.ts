// The system under test: the built app and the Worker under `wrangler dev` on port 8788 (E2E_PORT), with
// its own local state (.wrangler/e2e-state, migrated and seeded afresh each run, so rate-limit
// buckets and orders start empty) and throwaway secrets in a temporary env file. The Stripe
// scenarios get a second Worker (E2E_PORT + 1, .wrangler/e2e-stripe-state) whose provider is
// Stripe, its SDK pointed at the Stripe API fake (e2e/stripe.ts).
import { execFileSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSeedSql } from "../scripts/seed.ts";
import { startWranglerDev } from "../scripts/wrangler-dev.ts";

// E2E_PORT lets two checkouts run their browser tests side by side on one machine.
export const PORT = Number(process.env.E2E_PORT || 8788);
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };
const wrangler = (...args: string[]) => execFileSync("npx", ["wrangler", ...args], { stdio: ["ignore", "ignore", "inherit"], env });

/** The test provider (the default), or Stripe against the API fake at `apiBase`. */
export type Payments = { provider: "test" } | { provider: "stripe"; apiBase: string; webhookSecret: string; publishableKey: string };

export interface ServerOptions {
  port: number;
  state: string;
  payments: Payments;
}

export interface Server {
  url: string;
  /** Runs the Worker's cron as if it fired at `time` (ms): wrangler dev's scheduled trigger. */
  cron: (time: number) => Promise<void>;
  /** The same access token, re-signed with this run's key as if issued 16 minutes ago: expired. */
  expire: (accessToken: string) => string;
  stop(): Promise<void>;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** An access token that differs from a real one only in its times (iat, nbf, exp): it expired a minute ago. */
function expiredTwin(jwtSecret: string, token: string): string {
  const [header, payload] = token.split(".");
  if (!header || !payload) throw new Error("not a JWT");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  const issuedAt = Math.floor(Date.now() / 1000) - 16 * 60;
  const exp = typeof claims.exp === "number" && typeof claims.iat === "number" ? issuedAt + (claims.exp - claims.iat) : issuedAt;
  const body = base64url(JSON.stringify({ ...claims, iat: issuedAt, nbf: issuedAt, exp }));
  const signature = createHmac("sha256", jwtSecret).update(`${header}.${body}`).digest();
  return `${header}.${body}.${base64url(signature)}`;
}

export async function startServer(
  logFile: string,
  { port, state, payments }: ServerOptions = { port: PORT, state: ".wrangler/e2e-state", payments: { provider: "test" } },
): Promise<Server> {
  rmSync(state, { recursive: true, force: true });
  console.log("e2e: migrating and seeding", state);
  wrangler("d1", "migrations", "apply", "DB", "--local", "--persist-to", state);
  const seed = await writeSeedSql(".wrangler/e2e-seed.sql");
  wrangler("d1", "execute", "DB", "--local", "--persist-to", state, "--file", seed);

  // Secrets for this run only; wrangler reads them instead of .dev.vars (absent in CI).
  const secretsDir = mkdtempSync(join(tmpdir(), "storefront-e2e-"));
  const varsFile = join(secretsDir, "e2e.env");
  const secret = () => randomBytes(32).toString("base64url");
  const jwtSecret = secret();
  const paymentVars =
    payments.provider === "test"
      ? `STRIPE_WEBHOOK_SECRET=whsec_${secret()}\nSTRIPE_SECRET_KEY=\nPAYMENT_PROVIDER=test\n`
      : `STRIPE_WEBHOOK_SECRET=${payments.webhookSecret}\nSTRIPE_SECRET_KEY=sk_test_e2e_${secret()}\n` +
        `STRIPE_PUBLISHABLE_KEY=${payments.publishableKey}\nSTRIPE_API_BASE=${payments.apiBase}\nPAYMENT_PROVIDER=stripe\n`;
  // Mails go to the development mailbox (/dev/mailbox), where the scenarios read their links.
  writeFileSync(
    varsFile,
    `JWT_SECRET=${jwtSecret}\n${paymentVars}ENVIRONMENT=development\nMAIL_TRANSPORT=mailbox\nWEB_ORIGIN=http://127.0.0.1:${port}\n`,
    { mode: 0o600 },
  );

  mkdirSync("test-results", { recursive: true });
  const server = await startWranglerDev({ port, state, varsFile, logFile, readyWithinMs: 60_000 }).catch((error: unknown) => {
    rmSync(secretsDir, { recursive: true, force: true });
    throw error;
  });
  const { url } = server;
  const stop = async () => {
    await server.stop();
    rmSync(secretsDir, { recursive: true, force: true });
  };
  console.log(`e2e: app and API at ${url} (payments: ${payments.provider})`);
  const cron = async (time: number) => {
    const response = await fetch(`${url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("*/5 * * * *")}&time=${time}`);
    if (!response.ok) throw new Error(`the scheduled trigger answered ${response.status}`);
  };
  return { url, cron, expire: (token) => expiredTwin(jwtSecret, token), stop };
}
