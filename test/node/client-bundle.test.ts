// The client package must carry no server code: bundle it as a frontend would and look inside.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bundleClient } from "../../scripts/client-bundle.ts";

describe("@storefront/client bundle", () => {
  it("contains no server code and stays small", async () => {
    const { output, metafile } = await bundleClient();
    const code = output.text;
    const inputs = Object.keys(metafile.inputs);
    for (const server of ["drizzle-orm", "hono", "jose", "argon2id", "/router/", "/worker/", "/db/", "zod"]) {
      expect(inputs.filter((i) => i.includes(server))).toEqual([]);
    }
    expect(code).not.toContain("argon2");
    // The budget the bench reports against (BENCHMARKS.md): 15 KiB gzipped, what a frontend ships.
    const gzipped = gzipSync(code).length;
    expect(gzipped).toBeLessThanOrEqual(15 * 1024);
    console.log(`client bundle: ${(code.length / 1024).toFixed(1)} KiB minified, ${(gzipped / 1024).toFixed(1)} KiB gzipped`);
  });
});
