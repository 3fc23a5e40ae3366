// What production ships: the Worker bundle as `npm run build` makes it holds no bench-only route.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const outdir = mkdtempSync(join(tmpdir(), "storefront-build-"));
// wrangler refuses a missing [assets] directory; on a fresh clone the web app is not built yet.
mkdirSync("web/dist", { recursive: true });
const build = (...extra: string[]) => {
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--minify", "--outdir", outdir, ...extra], {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    stdio: "pipe",
  });
  return readFileSync(join(outdir, "index.js"), "utf8");
};

describe("the production Worker bundle", () => {
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("contains no benchmark floor route, which only the bench's build defines", { timeout: 120_000 }, () => {
    expect(build()).not.toContain("__floor");
    expect(build("--define", "__BENCH_FLOOR__:true")).toContain("__floor");
  });
});
