// The last admin cannot be demoted: the guard is in the UPDATE itself, so it holds under races.
// Its own file: the guard counts every admin in the database, and storage is per test file.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { setUserRole } from "../db/admin";
import { createDb } from "../db/client";
import { newMetrics } from "../db/metrics";
import { refusalOf } from "./helpers/client";
import { signedUpAdmin } from "./helpers/shop";

const adminCount = async () => (await env.DB.prepare("select count(*) as n from users where role = 'admin'").first<{ n: number }>())?.n;

describe("the last admin", () => {
  it("cannot be demoted, even by two admins demoting each other at once", async () => {
    const a = await signedUpAdmin();
    const b = await signedUpAdmin();
    const results = await Promise.allSettled([
      a.client.admin.users.setRole.mutate({ userId: b.user.id, role: "customer" }),
      b.client.admin.users.setRole.mutate({ userId: a.user.id, role: "customer" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await adminCount()).toBe(1);

    const survivor = results[0].status === "fulfilled" ? a : b;
    expect(await refusalOf(survivor.client.admin.users.setRole.mutate({ userId: survivor.user.id, role: "customer" }))).toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    // Below the procedure's own-role check, the statement refuses by itself.
    expect(await setUserRole(createDb(env.DB, newMetrics()), survivor.user.id, "customer")).toBeUndefined();
    expect(await adminCount()).toBe(1);
  });
});
