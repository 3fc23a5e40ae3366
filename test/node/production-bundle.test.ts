// What production ships: the Worker bundle as `npm run build` makes it holds no bench-only route.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

const outdir = mkdtempSync(join(tmpdir(), "storefront-build-"));
// wrangler refuses a missing [assets] directory; on a fresh clone the web app is not built yet.
mkdirSync("web/dist", { recursive: true });
const build = (...extra: string[]) => {
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--minify", "--outdir", outdir, ...extra], {
    // Wrangler bakes the environment's NODE_ENV into process.env.NODE_ENV ("production" when unset, as
    // on a deploy); vitest sets it to "test", which would keep trpc-to-openapi's development-only
    // router check, and with it the whole document generator, in the bundle.
    env: { ...process.env, NODE_ENV: "production", WRANGLER_SEND_METRICS: "false", CI: "true" },
    stdio: "pipe",
  });
  return readFileSync(join(outdir, "index.js"), "utf8");
};

describe("the production Worker bundle", () => {
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("contains no benchmark route (the floor, the plain-Hono peer), which only the bench's build defines", { timeout: 120_000 }, () => {
    const production = build();
    expect(production).not.toContain("__floor");
    expect(production).not.toContain("__peer");
    const bench = build("--define", "__BENCH_FLOOR__:true");
    expect(bench).toContain("__floor");
    expect(bench).toContain("__peer");
  });

  // The JavaScript alone; wrangler's total adds Argon2id's two .wasm files (~2.5 KiB). Why 190: DEVELOPERS.md.
  it("stays inside the 190 KiB gzip budget, with the REST layer's Node-only imports stubbed out", { timeout: 120_000 }, () => {
    const code = build();
    // co-body's iconv-lite fails at start-up on Workers; zod's locales arrive with `import { z } from "zod/v4"`.
    expect(code).not.toContain("iconv");
    expect(code).not.toContain("Ungültige Eingabe"); // zod's German locale
    const gzipKiB = gzipSync(code).length / 1024;
    console.log(`worker bundle: ${(code.length / 1024).toFixed(1)} KiB minified, ${gzipKiB.toFixed(1)} KiB gzipped`);
    expect(gzipKiB).toBeLessThan(190);
  });
});
