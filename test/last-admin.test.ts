// The last admin cannot be demoted: the guard is in the UPDATE itself, so it holds under races.
// Its own file: the guard counts every admin in the database, and storage is per test file.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { setUserRole } from "../db/admin";
import { createDb } from "../db/client";
import { newMetrics } from "../db/metrics";
import { appRouter } from "../router";
import { contextFor } from "./helpers/callers";
import { refusalOf } from "./helpers/client";
import { signedUpAdmin } from "./helpers/shop";

const adminCount = async () => (await env.DB.prepare("select count(*) as n from users where role = 'admin'").first<{ n: number }>())?.n;

describe("the last admin", () => {
  it("cannot be demoted, even by two admins demoting each other at once", async () => {
    const a = await signedUpAdmin();
    const b = await signedUpAdmin();
    // Both requests are authenticated as admins before either demotion runs: the window a role
    // check alone leaves open. (Two SELF.fetch calls are handed over one at a time, so the second
    // would meet the role check after the first demotion and never reach the UPDATE.)
    const asA = appRouter.createCaller(await contextFor(a.session.tokens!.accessToken));
    const asB = appRouter.createCaller(await contextFor(b.session.tokens!.accessToken));
    const results = await Promise.allSettled([
      asA.admin.users.setRole({ userId: b.user.id, role: "customer" }),
      asB.admin.users.setRole({ userId: a.user.id, role: "customer" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")?.reason).toMatchObject({
      code: "PRECONDITION_FAILED",
      cause: { reason: "last_admin" },
    });
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
