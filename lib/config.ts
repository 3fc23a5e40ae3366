// Configuration read from the Worker's vars and secrets, parsed once per distinct env.
import type { TokenConfig } from "../domain/access-token";
import { logger } from "./log";

export interface AppConfig {
  tokens: TokenConfig;
  allowedOrigins: readonly string[];
  maxBodyBytes: number;
  maxBatchSize: number;
  currency: string;
  shipping: { flatCents: number; freeFromCents: number };
  lowStockThreshold: number;
  webhookSecret: string;
  /** Development and tests: cookies may go over plain http on localhost. */
  isLocal: boolean;
}

const positiveInt = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

// Set only during a key rotation (`wrangler secret put JWT_SECRET_PREVIOUS`), so not in Env.
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
    shipping: { flatCents: positiveInt(env.SHIPPING_FLAT_CENTS, 499), freeFromCents: positiveInt(env.FREE_SHIPPING_FROM_CENTS, 5000) },
    lowStockThreshold: positiveInt(env.LOW_STOCK_THRESHOLD, 5),
    webhookSecret: env.PAYMENT_WEBHOOK_SECRET,
    isLocal: env.ENVIRONMENT !== "production",
  };
  last = { env, config };
  return config;
}
