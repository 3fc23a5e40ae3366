// The "node" vitest project: what only Node can check (bundling the client), and unit tests of the
// rules that need no bindings (domain/, the rate-limit subjects, cart pricing), which StrykerJS
// mutates (`npm run test:mutation`; it cannot drive the workerd pool).
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "node",
    include: ["test/node/**/*.test.ts", "domain/**/*.test.ts", "router/**/*.test.ts", "services/**/*.test.ts"],
    environment: "node",
    setupFiles: ["./test/node/setup.ts"],
  },
});
