// The layer rule as `npm run lint` enforces it: eslint.config.js, run through ESLint's API on real
// modules of each layer with one import added, refuses an upward import with a message naming the
// rule and both layers, and lets the downward ones through.
import { readFileSync } from "node:fs";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The repo's own config, but only the rule under test: the type-checked rules need a TypeScript
// program per file (about 8 s here), which the layer rule, a matter of import paths, does not.
const eslint = new ESLint({
  ruleFilter: ({ ruleId }) => ruleId === "no-restricted-imports",
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

/** The layer rule's messages for `file` (a module of the repo) with `line` appended. */
async function layerMessages(file: string, line: string): Promise<string[]> {
  const text = `${readFileSync(file, "utf8")}\n${line}\n`;
  const [result] = await eslint.lintText(text, { filePath: file });
  if (!result) throw new Error(`ESLint returned nothing for ${file}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${file} did not parse: ${fatal.map((m) => m.message).join("; ")}`);
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the layer rule (eslint.config.js)", () => {
  it.each([
    ["services/checkout.ts", 'import { router } from "../router/init";', "services/ may not import router/."],
    ["services/checkout.ts", 'export { app } from "../worker/app";', "services/ may not import worker/."],
    ["db/keyset.ts", 'import type { PlacedOrder } from "../services/checkout";', "db/ may not import services/."],
    ["router/routers/cart.ts", 'import type { AppEnv } from "../../worker/app-env";', "router/ may not import worker/."],
    ["lib/log.ts", 'import type { Db } from "../db/client";', "lib/ may not import db/."],
    ["domain/roles.ts", 'import { logger } from "../lib/log";', "domain/ imports nothing of ours."],
    ["domain/roles.ts", 'import type { Cursor } from "../db/keyset";', "domain/ imports nothing of ours."],
  ])(
    "refuses in %s: %s",
    async (file, line, says) => {
      const messages = await layerMessages(file, line);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain("Layer rule (worker/ → router/ → services/ → domain/ and db/;");
      expect(messages[0]).toContain(says);
    },
    120_000,
  );

  it.each([
    ["services/checkout.ts", 'import { TRPCError } from "@trpc/server";'],
    ["db/carts.ts", 'import type { Context } from "hono";'],
    ["domain/pricing.ts", 'import { TRPCError } from "@trpc/server";'],
  ])(
    "refuses a transport below the router in %s: %s",
    async (file, line) => {
      const messages = await layerMessages(file, line);
      expect(messages.some((m) => m.includes("No transport below the router"))).toBe(true);
    },
    120_000,
  );

  it.each([
    ["worker/middleware/cors.ts", 'import type { AppRouter } from "../../router";'],
    ["router/routers/cart.ts", 'import { placeOrder } from "../../services/checkout";'],
    ["router/cookies.ts", 'import type { Db } from "../db/client";'],
    ["services/checkout.ts", 'import type { Db } from "../db/client";'],
    ["services/checkout.ts", 'import { logger } from "../lib/log";'],
    ["services/checkout.ts", 'import { refuse } from "../domain/refusals";'],
    ["db/keyset.ts", 'import type { Role } from "../domain/roles";'],
    ["lib/log.ts", 'import type { Role } from "../domain/roles";'],
    ["domain/roles.ts", 'import type { Cursor } from "./cursor";'],
    // A unit test beside its module imports the test helpers.
    ["domain/cursor.test.ts", 'import "../test/node/setup";'],
  ])(
    "lets %s import downward: %s",
    async (file, line) => {
      expect(await layerMessages(file, line)).toEqual([]);
    },
    120_000,
  );
});
