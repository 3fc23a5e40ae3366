// What the scale benches share: the app's query builders bundled for Node and loaded from memory
// (a failed run leaves nothing behind), and a migrated local D1 mirrored by an in-memory SQLite
// (node:sqlite, for EXPLAIN and fast bulk fills).
import { readdirSync, readFileSync } from "node:fs";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { join } from "node:path";
import { build } from "esbuild";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_splitSqlQuery } from "wrangler";
import { ROOT } from "./runtime.ts";

export interface ScaleD1Result {
  results: unknown[];
  meta: { rows_read?: number; duration?: number };
}
export interface ScaleD1 {
  prepare(sql: string): { bind(...values: unknown[]): { all(): Promise<ScaleD1Result>; run(): Promise<ScaleD1Result> } };
  batch(statements: unknown[]): Promise<ScaleD1Result[]>;
  exec(sql: string): Promise<unknown>;
}

/** Bundles `exports` (re-exports from the app, whose imports carry no extensions) and imports it. */
export async function loadAppModule<T>(exports: string): Promise<T> {
  const bundle = await build({
    stdin: { contents: exports, resolveDir: join(ROOT, "bench"), loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "error",
  });
  const code = bundle.outputFiles[0]?.text ?? "";
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as T;
}

/** A fresh local D1 named `name` and its in-memory mirror, both migrated; `both` runs SQL on each. */
export async function openScaleDatabase(name: string) {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      compatibilityDate: "2026-10-28",
      modules: true,
      script: "export default { fetch: () => new Response(null) }",
      d1Databases: { DB: name },
    }),
  );
  const d1 = (await mf.getD1Database("DB")) as unknown as ScaleD1;
  const local = new DatabaseSync(":memory:");
  const both = async (sql: string, params: SQLInputValue[] = []) => {
    await d1
      .prepare(sql)
      .bind(...params)
      .run();
    local.prepare(sql).run(...params);
  };
  const migrations = join(ROOT, "migrations");
  for (const file of readdirSync(migrations)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    for (const statement of unstable_splitSqlQuery(readFileSync(join(migrations, file), "utf8")).filter((s) => s.trim()))
      await both(statement);
  }
  return { mf, d1, local, both };
}
