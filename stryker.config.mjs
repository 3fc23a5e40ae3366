// Mutation testing (`npm run test:mutation`; slow, so not in CI): mutates the pure rules and runs
// the Node project's unit tests (vitest.node.config.ts) against each mutant. Stryker's vitest
// runner replaces the pool, so it cannot drive the workerd project; these files' rules are unit
// tested in Node for it. domain/password-hash.ts is left out: it imports .wasm modules that only
// workerd loads (test/password.test.ts covers it there). Report: reports/mutation/ (git-ignored).
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.node.config.ts", related: true },
  mutate: [
    "domain/**/*.ts",
    "!domain/**/*.test.ts",
    "!domain/password-hash.ts",
    // The subject a rate-limit rule counts (IP or user).
    "router/rate-limit.ts:18-22",
  ],
  coverageAnalysis: "perTest",
  // The machine is shared; the run takes minutes either way.
  concurrency: 1,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 85, break: 85 },
  ignorePatterns: ["web", "e2e", "bench", "dist", ".wrangler", "test-results", "reports"],
  tempDirName: ".stryker-tmp",
};
