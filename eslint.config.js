// Lint: typescript-eslint's recommended rules; `any` is an error everywhere.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "dist", ".wrangler", "worker-configuration.d.ts", "test-results", "web/dist", "web/.api-types"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
      // `import { z }` defeats tree-shaking and put 440 KiB of zod in the Worker bundle.
      "no-restricted-syntax": [
        "error",
        { selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']", message: 'Use `import * as z from "zod"` (tree-shakes).' },
      ],
    },
  },
);
