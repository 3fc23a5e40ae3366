// Lint: typescript-eslint's type-checked recommended rules (they read the types, so a floating
// promise or an `any` that leaks through a library is caught); `any` is an error everywhere.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The layer rule (docs/style.md): imports flow down only, worker/ → router/ → services/ → domain/
// and db/; lib/ from anywhere; domain/ imports nothing of ours. Each layer lists what it may
// import; anything else of ours is refused by no-restricted-imports with a message naming both
// layers. Type-only imports count: a type from above ties a layer to it as much as a value does.
// worker/ is the top and may import everything; tests beside their modules (*.test.ts) import
// test helpers and are left out.
const LAYERS = ["worker", "router", "services", "db", "domain", "lib"];
const MAY_IMPORT = {
  router: ["services", "db", "domain", "lib"],
  services: ["db", "domain", "lib"],
  db: ["domain", "lib"],
  // Neutral plumbing; it may name a domain type (lib/config.ts's TokenConfig), nothing above.
  lib: ["domain"],
  domain: [],
};
// Services, the domain and db speak the domain's words (a Refusal from domain/refusals.ts); the
// router maps them to tRPC once (router/errors.ts), so no transport reaches below it.
const TRANSPORT_FREE = ["services", "db", "domain"];
const TRANSPORT = {
  group: ["@trpc/*", "hono", "hono/*"],
  message: "No transport below the router: throw a Refusal (domain/refusals.ts); the router maps it.",
};
const RULE = "worker/ → router/ → services/ → domain/ and db/; lib/ from anywhere; domain/ imports nothing of ours";
const layerRules = Object.entries(MAY_IMPORT).map(([layer, allowed]) => ({
  files: [`${layer}/**/*.ts`],
  ignores: ["**/*.test.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns:
          layer === "domain"
            ? // Flat, and nothing outside it: any path that climbs out is refused, layer or not.
              [{ regex: "^\\.\\./", message: `Layer rule (${RULE}): domain/ imports nothing of ours.` }, TRANSPORT]
            : [
                ...LAYERS.filter((other) => other !== layer && !allowed.includes(other)).map((other) => ({
                  // A relative path that climbs out of the layer into `other` (any depth: router/routers/ too).
                  regex: `^(\\.\\./)+${other}(/|$)`,
                  message: `Layer rule (${RULE}): ${layer}/ may not import ${other}/.`,
                })),
                ...(TRANSPORT_FREE.includes(layer) ? [TRANSPORT] : []),
              ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      "node_modules",
      "dist",
      ".wrangler",
      "worker-configuration.d.ts",
      "openapi",
      "client/dist",
      // A fixture type-checked in a scratch project against the packed client (client-package.test.ts).
      "test/node/client-package",
      "test-results",
      "web/dist",
      "web/.api-types",
      "reports",
      ".stryker-tmp",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the nearest tsconfig.json: the Worker's at the root, the Node
        // code's in bench/, scripts/, test/node/ and e2e/, the browser's in web/. The root's
        // config files are Node code outside any of them: tsconfig.node.json's settings.
        projectService: { allowDefaultProject: ["*.js", "*.mjs", "*.ts"], defaultProject: "tsconfig.node.json" },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
      // Off: an implementation of a Promise-returning interface (a payment provider, a limiter, a
      // cache loader, the fakes tests put on the context) is written `async` whether or not it
      // awaits, so that a throw inside it rejects, as callers of the interface expect (this rule
      // flagged ten of them). The slip it hints at, a promise nobody awaits, is
      // no-floating-promises' job (on, in the type-checked set).
      "@typescript-eslint/require-await": "off",
      // `import { z }` defeats tree-shaking and put 440 KiB of zod in the Worker bundle.
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: 'Use `import * as z from "zod"` (tree-shakes).',
        },
      ],
    },
  },
  ...layerRules,
);
