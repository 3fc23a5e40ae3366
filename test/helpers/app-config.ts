// A complete AppConfig for unit tests that run without a Worker env (lib/config reads the real one).
import type { AppConfig } from "../../lib/config";

export const testConfig = (overrides: Partial<AppConfig> = {}): AppConfig => ({
  tokens: { secret: "unit-test-secret-unit-test-secret-0123", issuer: "storefront", audience: "storefront-api" },
  allowedOrigins: [],
  maxBodyBytes: 65536,
  maxBatchSize: 20,
  currency: "USD",
  lowStockThreshold: 5,
  payments: { provider: "test", webhookSecret: "whsec-unit-test" },
  mail: {
    transport: "mailbox",
    shop: { name: "Test Shop", address: ["1 Test Street"], fromAddress: "shop@example.test", taxId: null },
    webOrigin: "http://storefront.test",
  },
  isLocal: true,
  ...overrides,
});
