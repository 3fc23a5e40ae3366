// What wrangler.toml ships to production: no development origin may reach the CORS allow-list
// there (credentials are allowed); dev origins live in .dev.vars (scripts/dev-setup.ts).
import { assert, describe, expect, it } from "vitest";
import { readRawConfig } from "../../scripts/wrangler-config.ts";

describe("wrangler.toml [vars]", () => {
  it("is production's, and lists only https origins of real hosts in ALLOWED_ORIGINS", () => {
    const vars = readRawConfig("wrangler.toml").vars ?? {};
    expect(vars.ENVIRONMENT).toBe("production");
    const allowed = vars.ALLOWED_ORIGINS;
    assert(typeof allowed === "string", "ALLOWED_ORIGINS is a comma-separated string");
    const origins = allowed
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean);
    for (const origin of origins) {
      const { protocol, hostname } = new URL(origin);
      expect(protocol, origin).toBe("https:");
      expect(hostname, origin).not.toMatch(/^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$|\.localhost$/);
    }
  });
});

describe("wrangler.toml [assets] run_worker_first", () => {
  // As the asset layer reads the list: `*` matches anything, a `!` rule wins over the others.
  const listed = readRawConfig("wrangler.toml").assets?.run_worker_first;
  const rules = Array.isArray(listed) ? listed : [];
  const glob = (rule: string) => new RegExp(`^${rule.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`);
  const runsWorker = (path: string) =>
    rules.some((r) => !r.startsWith("!") && glob(r).test(path)) && !rules.some((r) => r.startsWith("!") && glob(r.slice(1)).test(path));

  it("sends every /api path to the Worker (a JSON 404, not the web app's HTML), but the static document and reference page", () => {
    for (const path of ["/api", "/api/v1", "/api/v1/", "/api/v2/x", "/api/v1/cart", "/api/v1/no/such/route"])
      expect(runsWorker(path), path).toBe(true);
    for (const path of ["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/"]) expect(runsWorker(path), path).toBe(false);
  });

  it("sends the app's documents to the Worker (their policy follows the provider), but not its hashed files", () => {
    for (const path of ["/", "/checkout", "/orders/abc", "/index.html"]) expect(runsWorker(path), path).toBe(true);
    for (const path of ["/assets/index-abc123.js", "/assets/index-abc123.css"]) expect(runsWorker(path), path).toBe(false);
  });
});
