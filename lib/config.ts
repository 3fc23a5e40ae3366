// Configuration read from the Worker's vars and secrets, parsed once per distinct env.
import type { TokenConfig } from "../domain/access-token";

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
    allowedOrigins: env.ALLOWED_ORIGINS.split(",").map((o) => o.trim()).filter(Boolean),
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
