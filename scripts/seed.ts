// Demo data for local development, written as idempotent SQL (fixed ids, INSERT OR IGNORE),
// so running `npm run dev` twice never duplicates a row. Local only: the README gives these
// credentials, so they must never be seeded into a deployed database.
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import setupWasm from "argon2id/lib/setup.js";
import { CURRENT_PARAMS, SALT_BYTES, formatPhc } from "../domain/phc.ts";

export const DEMO_USERS = [
  { id: "00000000-0000-4000-8000-000000000001", email: "admin@storefront.local", name: "Demo Admin", role: "admin", password: "Admin-Storefront-1" },
  { id: "00000000-0000-4000-8000-000000000002", email: "alice@storefront.local", name: "Alice Example", role: "customer", password: "Alice-Storefront-1" },
  { id: "00000000-0000-4000-8000-000000000003", email: "bob@storefront.local", name: "Bob Example", role: "customer", password: "Bob-Storefront-1" },
] as const;

const require = createRequire(import.meta.url);
const wasm = (file: string) => (imports: WebAssembly.Imports) =>
  WebAssembly.instantiate(readFileSync(require.resolve(`argon2id/dist/${file}`)), imports);

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

export async function seedSql(): Promise<string> {
  const argon2id = await setupWasm(wasm("simd.wasm"), wasm("no-simd.wasm"));
  const lines = DEMO_USERS.map((u) => {
    const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
    const hash = argon2id({ password: new TextEncoder().encode(u.password), salt, ...CURRENT_PARAMS });
    return `INSERT OR IGNORE INTO users (id, email, name, password_hash, role) VALUES (${[u.id, u.email, u.name, formatPhc(CURRENT_PARAMS, salt, hash), u.role].map(quote).join(", ")});`;
  });
  return lines.join("\n") + "\n";
}

export async function writeSeedSql(path = ".wrangler/seed.sql"): Promise<string> {
  mkdirSync(".wrangler", { recursive: true });
  writeFileSync(path, await seedSql());
  return path;
}
