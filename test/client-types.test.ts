import { describe, expectTypeOf, it } from "vitest";
import type { RouterInputs, RouterOutputs, StorefrontClient } from "@storefront/client";

describe("@storefront/client types", () => {
  it("infers procedure inputs and outputs end to end", () => {
    expectTypeOf<RouterInputs["auth"]["login"]>().toEqualTypeOf<{ email: string; password: string; deviceToken?: string }>();
    expectTypeOf<RouterOutputs["auth"]["me"]>().toEqualTypeOf<{
      id: string;
      email: string;
      name: string;
      role: "customer" | "admin";
      emailVerified: boolean;
      createdAt: Date;
    }>();
    expectTypeOf<RouterOutputs["auth"]["login"]["accessTokenExpiresAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<StorefrontClient["auth"]["me"]["query"]>().returns.resolves.toEqualTypeOf<RouterOutputs["auth"]["me"]>();
    // The password hash never reaches a client type.
    expectTypeOf<RouterOutputs["auth"]["login"]["user"]>().not.toHaveProperty("passwordHash");
  });
});
