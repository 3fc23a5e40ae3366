// The gate `npm run deploy` passes before anything is migrated or uploaded: wrangler.toml must
// name a real payment provider for production and declare the secrets it needs.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readRawConfig, type RawWranglerConfig } from "./wrangler-config.ts";

const REQUIRED_SECRETS = ["JWT_SECRET", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"];

/** What is wrong with a configuration for production; empty when it may be deployed. */
export function deployProblems(config: RawWranglerConfig): string[] {
  const problems: string[] = [];
  const vars = config.vars ?? {};
  if (vars.ENVIRONMENT !== "production") problems.push(`ENVIRONMENT must be "production", not ${JSON.stringify(vars.ENVIRONMENT)}.`);
  const provider = vars.PAYMENT_PROVIDER;
  if (provider === "test") {
    problems.push('PAYMENT_PROVIDER is "test": its made-up tokens (tok_visa) would pay for real orders. Use "stripe".');
  } else if (provider !== "stripe") {
    problems.push(`PAYMENT_PROVIDER must be "stripe", not ${JSON.stringify(provider)}.`);
  }
  // The SDK's API host is for a local fake of Stripe (development and tests): in production it
  // would send the secret key and every payment elsewhere.
  if (typeof vars.STRIPE_API_BASE === "string" && vars.STRIPE_API_BASE !== "") {
    problems.push(
      `STRIPE_API_BASE is ${JSON.stringify(vars.STRIPE_API_BASE)}: only development and tests may point Stripe's SDK elsewhere.`,
    );
  }
  const secrets: unknown = config.secrets;
  const required: unknown = typeof secrets === "object" && secrets !== null ? Reflect.get(secrets, "required") : undefined;
  const declared = Array.isArray(required) ? required : [];
  for (const name of REQUIRED_SECRETS) {
    if (!declared.includes(name)) problems.push(`[secrets] required must list ${name}, so wrangler refuses an upload without it.`);
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? "wrangler.toml";
  const problems = deployProblems(readRawConfig(path));
  if (problems.length > 0) {
    console.error(`Refusing to deploy (${path}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  // The secrets' values live only on Cloudflare: this check cannot see them. wrangler refuses the
  // upload when a required secret is unset, and the Worker's /readyz names any other problem
  // (a Stripe test-mode key in production, for one).
  console.log(`${path}: PAYMENT_PROVIDER=stripe, secrets declared. Their values are checked by wrangler and /readyz after upload.`);
}
