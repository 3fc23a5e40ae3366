// Builds the installable @storefront/client into client/dist (run by `npm pack` in client/ through
// its prepack script): ESM JavaScript bundled by esbuild with only the client's own dependencies
// left as imports, and one .d.ts bundled by rollup-plugin-dts from tsc's declarations, so
// AppRouter and every type it references (the views, the refusal reasons, the context) travel
// inside the file. Worker platform types (D1Database, KVNamespace…) are imported from
// @cloudflare/workers-types' module entry, never from this repo's worker-configuration.d.ts.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";

const ROOT = resolve(import.meta.dirname, "..");
const CLIENT = join(ROOT, "client");
const DIST = join(CLIENT, "dist");

/** Packages the bundles import rather than contain: the client's dependencies (client/package.json). */
const EXTERNAL = /^(@trpc\/client|@trpc\/server|superjson|drizzle-orm|@cloudflare\/workers-types)(\/|$)/;

/** The Worker platform's types the declarations name as globals, imported from workers-types instead. */
export const PLATFORM_TYPES = [
  "D1Database",
  "D1DatabaseSession",
  "KVNamespace",
  "R2Bucket",
  "DurableObjectNamespace",
  "DurableObjectStub",
] as const;

async function bundleJs() {
  await build({
    entryPoints: [join(CLIENT, "src", "index.ts")],
    outfile: join(DIST, "index.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["@trpc/client", "@trpc/server", "superjson"],
    logLevel: "error",
  });
}

async function bundleTypes() {
  const declarations = mkdtempSync(join(tmpdir(), "storefront-client-d-"));
  try {
    // The Worker's compiler settings (web/tsconfig.api.json), written somewhere disposable.
    execFileSync(
      process.execPath,
      [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "web/tsconfig.api.json"), "--outDir", declarations],
      {
        stdio: "inherit",
      },
    );
    const bundle = await rollup({
      input: join(declarations, "client", "src", "index.d.ts"),
      plugins: [dts()],
      external: (id) => EXTERNAL.test(id),
    });
    const { output } = await bundle.generate({ format: "es" });
    const [chunk] = output;
    if (!chunk) throw new Error("rollup-plugin-dts produced nothing");
    const used = PLATFORM_TYPES.filter((name) => new RegExp(`\\b${name}\\b`).test(chunk.code));
    const header =
      "// @storefront/client's types, bundled from the API's sources (scripts/build-client.ts).\n" +
      (used.length > 0 ? `import type { ${used.join(", ")} } from "@cloudflare/workers-types/index.ts";\n` : "");
    writeFileSync(join(DIST, "index.d.ts"), header + chunk.code);
  } finally {
    rmSync(declarations, { recursive: true, force: true });
  }
}

export async function buildClient() {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  await Promise.all([bundleJs(), bundleTypes()]);
  return { js: readFileSync(join(DIST, "index.js"), "utf8"), dts: readFileSync(join(DIST, "index.d.ts"), "utf8") };
}

if (import.meta.main) {
  const { js, dts: types } = await buildClient();
  // stderr: `npm pack --json` owns stdout.
  console.error(`client/dist: index.js ${(js.length / 1024).toFixed(1)} KiB, index.d.ts ${(types.length / 1024).toFixed(1)} KiB`);
}
