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
