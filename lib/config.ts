// Configuration read from the Worker's vars and secrets, parsed once per distinct env.
import type { TokenConfig } from "../domain/access-token";
import { logger } from "./log";

export interface AppConfig {
  tokens: TokenConfig;
  allowedOrigins: readonly string[];
  maxBodyBytes: number;
  maxBatchSize: number;
  currency: string;
  lowStockThreshold: number;
  payments: PaymentsConfig;
  mail: MailConfig;
  /** Development and tests: cookies may go over plain http on localhost. */
  isLocal: boolean;
}

export const PAYMENT_PROVIDERS = ["stripe", "test"] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/** Why this deployment cannot take payments; each is a `/readyz` problem and a log field. */
export type PaymentsProblem =
  | "unknown_provider"
  | "test_provider_outside_development"
  | "stripe_secret_key_missing"
  | "stripe_publishable_key_missing"
  | "stripe_test_key_in_production"
  | "stripe_api_override_outside_development"
  | "webhook_secret_missing";

/**
 * The payment provider this deployment uses, or why it has none. The webhook secret verifies
 * `Stripe-Signature` for both providers (the test provider signs its events the same way).
 */
export type PaymentsConfig =
  | {
      provider: "stripe";
      secretKey: string;
      /** Public: the web app gives it to Stripe.js (served by the Worker, router/routers/checkout). */
      publishableKey: string;
      webhookSecret: string;
      timeoutMs: number;
      /** Development and tests only: the Stripe SDK talks to a local fake of the API instead. */
      api?: StripeApiOverride;
    }
  | { provider: "test"; webhookSecret: string }
  | { provider: "unconfigured"; problem: PaymentsProblem };

export interface StripeApiOverride {
  protocol: "http" | "https";
  host: string;
  port: number;
}

const positiveInt = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

// A secret that may be absent at run time: JWT_SECRET_PREVIOUS exists only during a key rotation,
// and the Stripe secrets are declared in wrangler.toml but unset wherever the test provider runs.
const optionalSecret = (env: Env, name: string) => {
  const value: unknown = Reflect.get(env, name);
  return typeof value === "string" && value.length > 0 ? value : undefined;
};

// The allow-list sends credentials, so in production an origin must be https on a real host: a
// localhost or plain-http entry would let any page served on a visitor's own machine, or anyone
// on their network path, make signed-in calls. Development origins belong in .dev.vars
// (scripts/dev-setup.ts writes them). A refused entry is dropped and logged, never fatal.
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$|\.localhost$/i;

function productionOriginRefusal(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return "not_a_url";
  }
  if (url.protocol !== "https:") return "not_https";
  if (LOCAL_HOST.test(url.hostname)) return "local_host";
  return null;
}

function allowedOrigins(list: string, production: boolean): string[] {
  const origins = list
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  if (!production) return origins;
  return origins.filter((origin) => {
    const refusal = productionOriginRefusal(origin);
    if (refusal) logger.error("config.origin_refused", { origin, reason: refusal });
    return refusal === null;
  });
}

// The test provider accepts made-up tokens, so it may run only where no real order is placed.
const TEST_PROVIDER_ENVIRONMENTS = new Set(["development", "test"]);
// Stripe test-mode keys (secret, restricted or publishable) settle Stripe's test cards: never in production.
const STRIPE_TEST_KEY = /^(sk|rk|pk)_test_/;

/** STRIPE_API_BASE ("http://127.0.0.1:8801"), or undefined when it is unset or not a plain origin. */
function stripeApiOverride(base: string): StripeApiOverride | undefined {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return undefined;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.pathname !== "/" || url.search || url.username) return undefined;
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { protocol, host: url.hostname, port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443 };
}

function paymentsConfig(env: Env): PaymentsConfig {
  const provider = env.PAYMENT_PROVIDER;
  const webhookSecret = optionalSecret(env, "STRIPE_WEBHOOK_SECRET");
  if (provider === "test") {
    if (!TEST_PROVIDER_ENVIRONMENTS.has(env.ENVIRONMENT)) return { provider: "unconfigured", problem: "test_provider_outside_development" };
    if (!webhookSecret) return { provider: "unconfigured", problem: "webhook_secret_missing" };
    return { provider: "test", webhookSecret };
  }
  if (provider !== "stripe") return { provider: "unconfigured", problem: "unknown_provider" };
  const secretKey = optionalSecret(env, "STRIPE_SECRET_KEY");
  if (!secretKey) return { provider: "unconfigured", problem: "stripe_secret_key_missing" };
  const publishableKey = optionalSecret(env, "STRIPE_PUBLISHABLE_KEY");
  if (!publishableKey) return { provider: "unconfigured", problem: "stripe_publishable_key_missing" };
  if (env.ENVIRONMENT === "production" && (STRIPE_TEST_KEY.test(secretKey) || STRIPE_TEST_KEY.test(publishableKey))) {
    return { provider: "unconfigured", problem: "stripe_test_key_in_production" };
  }
  // Another API host is for a local fake of Stripe only, as the test provider is: a deployment
  // that names one would send its secret key and its customers' payments somewhere else.
  const apiBase = optionalSecret(env, "STRIPE_API_BASE");
  const api = apiBase === undefined ? undefined : stripeApiOverride(apiBase);
  if (apiBase !== undefined && (!api || !TEST_PROVIDER_ENVIRONMENTS.has(env.ENVIRONMENT))) {
    return { provider: "unconfigured", problem: "stripe_api_override_outside_development" };
  }
  if (!webhookSecret) return { provider: "unconfigured", problem: "webhook_secret_missing" };
  return {
    provider: "stripe",
    secretKey,
    publishableKey,
    webhookSecret,
    timeoutMs: positiveInt(env.STRIPE_TIMEOUT_MS, 10_000),
    ...(api ? { api } : {}),
  };
}

export const MAIL_TRANSPORTS = ["email-service", "mailbox"] as const;
export type MailTransport = (typeof MAIL_TRANSPORTS)[number];

/**
 * How mail leaves and who sends it. "mailbox" records mails for /dev/mailbox and sends nothing:
 * like the test payment provider, only development and tests get it; elsewhere it is
 * "unconfigured" (the consumer retries and dead-letters rather than losing mails silently).
 */
export interface MailConfig {
  transport: MailTransport | "unconfigured";
  /** The shop's legal details, in mails and on receipts; `taxId` is null where none is set. */
  shop: { name: string; address: readonly string[]; fromAddress: string; taxId: string | null };
  /** The web app's origin, without a trailing slash: account mails link to its pages. */
  webOrigin: string;
}

function mailConfig(env: Env): MailConfig {
  const requested = env.MAIL_TRANSPORT;
  const transport =
    requested === "email-service" || (requested === "mailbox" && TEST_PROVIDER_ENVIRONMENTS.has(env.ENVIRONMENT))
      ? requested
      : "unconfigured";
  if (transport === "unconfigured") logger.error("config.mail_unconfigured", { transport: requested, environment: env.ENVIRONMENT });
  const address = env.SHOP_ADDRESS.split("|")
    .map((l) => l.trim())
    .filter(Boolean);
  const taxId = env.SHOP_TAX_ID.trim();
  return {
    transport,
    shop: { name: env.SHOP_NAME, address, fromAddress: env.MAIL_FROM, taxId: taxId === "" ? null : taxId },
    webOrigin: env.WEB_ORIGIN.replace(/\/+$/, ""),
  };
}

let last: { env: Env; config: AppConfig } | undefined;

export function readConfig(env: Env): AppConfig {
  if (last?.env === env) return last.config;
  const config: AppConfig = {
    tokens: {
      secret: env.JWT_SECRET,
      previousSecret: optionalSecret(env, "JWT_SECRET_PREVIOUS"),
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
    },
    allowedOrigins: allowedOrigins(env.ALLOWED_ORIGINS, env.ENVIRONMENT === "production"),
    maxBodyBytes: positiveInt(env.MAX_BODY_BYTES, 65536),
    maxBatchSize: positiveInt(env.MAX_BATCH_SIZE, 20),
    currency: env.CURRENCY,
    lowStockThreshold: positiveInt(env.LOW_STOCK_THRESHOLD, 5),
    payments: paymentsConfig(env),
    mail: mailConfig(env),
    isLocal: env.ENVIRONMENT !== "production",
  };
  last = { env, config };
  return config;
}
