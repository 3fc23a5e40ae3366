// What a new isolate evaluates before its first request. In one esbuild bundle (wrangler's) a
// module is evaluated at start-up exactly when the entry reaches it through static imports; one
// reached only through `import()` is wrapped and evaluated on first use. So start-up cost is held
// by structure, not timing: the back office's routers and schemas stay off the static graph.
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

let meta: Metafile;

beforeAll(async () => {
  const result = await build({
    entryPoints: [join(ROOT, "worker", "index.ts")],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    // wrangler.toml's [alias] table, and what the runtime provides.
    alias: {
      "co-body": join(ROOT, "worker/stubs/co-body.ts"),
      yaml: join(ROOT, "worker/stubs/yaml.ts"),
      "zod/v4": join(ROOT, "worker/stubs/zod-v4.ts"),
    },
    external: ["cloudflare:*", "node:*", "*.wasm"],
    define: { __BENCH_FLOOR__: "false" },
    logLevel: "error",
  });
  meta = result.metafile;
}, 60_000);

/** The bundle's modules the entry reaches through static imports only: what start-up evaluates. */
function evaluatedAtStartUp(): Set<string> {
  const seen = new Set<string>();
  const todo = ["worker/index.ts"];
  for (let path = todo.pop(); path !== undefined; path = todo.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    for (const imported of meta.inputs[path]?.imports ?? []) {
      if (imported.kind !== "dynamic-import" && !imported.external) todo.push(imported.path);
    }
  }
  return seen;
}

const BACK_OFFICE = [
  "router/routers/admin.ts",
  "router/routers/admin-products.ts",
  "router/routers/admin-orders.ts",
  "router/routers/admin-discounts.ts",
  "router/routers/admin-users.ts",
  "router/routers/admin-sales.ts",
  "router/views/admin.ts",
];

describe("Worker start-up", () => {
  it("does not evaluate the back office's routers and schemas: they load on the first admin call", () => {
    const startUp = evaluatedAtStartUp();
    expect(startUp.has("router/index.ts")).toBe(true);
    for (const module of BACK_OFFICE) {
      // In the bundle (so the check cannot pass by the file moving away), but not at start-up.
      expect(Object.keys(meta.inputs), module).toContain(module);
      expect(startUp.has(module), `${module} is evaluated at start-up`).toBe(false);
    }
  });
});
