// `npm run deploy` refuses, before migrating or uploading anything, a wrangler.toml that would let
// the test provider's made-up tokens pay in production.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { deployProblems } from "../../scripts/check-deploy.ts";
import { readRawConfig } from "../../scripts/wrangler-config.ts";

const dir = mkdtempSync(join(tmpdir(), "storefront-deploy-check-"));
const shipped = readFileSync("wrangler.toml", "utf8");

/** Runs the check as `npm run deploy` does, on wrangler.toml with one edit; its exit code and output. */
function check(edit: (toml: string) => string) {
  const path = join(dir, `wrangler-${crypto.randomUUID()}.toml`);
  writeFileSync(path, edit(shipped));
  const run = spawnSync(process.execPath, ["scripts/check-deploy.ts", path], { encoding: "utf8" });
  return { code: run.status, out: run.stdout + run.stderr };
}

/** The problems the check finds in wrangler.toml with one edit (parsed by wrangler's own reader). */
function problemsAfter(edit: (toml: string) => string) {
  const path = join(dir, `wrangler-${crypto.randomUUID()}.toml`);
  const edited = edit(shipped);
  expect(edited).not.toBe(shipped);
  writeFileSync(path, edited);
  return deployProblems(readRawConfig(path));
}

// Each spawn loads wrangler's parser in a fresh Node (seconds on a busy machine).
describe("the deploy check", { timeout: 60_000 }, () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes the wrangler.toml we ship: Stripe, with its secrets declared", () => {
    expect(deployProblems(readRawConfig("wrangler.toml"))).toEqual([]);
    expect(check((toml) => toml).code).toBe(0);
  });

  it("exits 1 with the reason for the test provider", () => {
    const result = check((t) => t.replace('PAYMENT_PROVIDER = "stripe"', 'PAYMENT_PROVIDER = "test"'));
    expect(result.code).toBe(1);
    expect(result.out).toContain("Refusing to deploy");
    expect(result.out).toContain('PAYMENT_PROVIDER is "test"');
  });

  it("runs first in npm run deploy, before the remote migration and the upload", () => {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.deploy).toMatch(/^node scripts\/check-deploy\.ts && npm run db:migrate:remote && .*wrangler deploy/);
  });

  it.each([
    [
      "the test provider",
      (t: string) => t.replace('PAYMENT_PROVIDER = "stripe"', 'PAYMENT_PROVIDER = "test"'),
      'PAYMENT_PROVIDER is "test"',
    ],
    ["no provider", (t: string) => t.replace('PAYMENT_PROVIDER = "stripe"\n', ""), "PAYMENT_PROVIDER must be"],
    [
      "an unknown provider",
      (t: string) => t.replace('PAYMENT_PROVIDER = "stripe"', 'PAYMENT_PROVIDER = "Stripe"'),
      "PAYMENT_PROVIDER must be",
    ],
    [
      "a development ENVIRONMENT",
      (t: string) => t.replace('ENVIRONMENT = "production"', 'ENVIRONMENT = "development"'),
      "ENVIRONMENT must be",
    ],
    [
      "Stripe's SDK pointed at another API host",
      (t: string) => t.replace('STRIPE_API_BASE = ""', 'STRIPE_API_BASE = "http://127.0.0.1:8801"'),
      "STRIPE_API_BASE is",
    ],
    ["the Stripe key undeclared", (t: string) => t.replace('"STRIPE_SECRET_KEY", ', ""), "must list STRIPE_SECRET_KEY"],
    ["the webhook secret undeclared", (t: string) => t.replace(', "STRIPE_WEBHOOK_SECRET"', ""), "must list STRIPE_WEBHOOK_SECRET"],
  ])("refuses %s", (_name, edit, reason) => {
    const problems = problemsAfter(edit);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(reason);
  });
});
