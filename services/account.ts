// Use cases of the account a customer controls: signing out everywhere, deleting the account and
// exporting what we hold about it. The password re-check is the router's (it answers FORBIDDEN).
import { refuse } from "../domain/refusals";
import { countOrdersInProgress, eraseAccount, readAccountData, revokeDevicesQuery, revokeOtherSessionsQuery } from "../db/account";
import type { Deps } from "./deps";

type AccountDeps = Pick<Deps, "db" | "sessions" | "now">;

/**
 * Signs every other device out: their refresh tokens die now, their access tokens at the next
 * session check, and every device token of the account stops counting as a known device. The
 * caller's own session stays (the page that asked keeps working); auth.logout ends it.
 */
export async function signOutOtherDevices(deps: AccountDeps, userId: string, keepFamily: string): Promise<void> {
  const now = new Date(deps.now());
  await deps.db.batch([revokeOtherSessionsQuery(deps.db, userId, keepFamily, now), revokeDevicesQuery(deps.db, userId, now)]);
  deps.sessions.forgetUser(userId);
}

/**
 * Erases the account (db/account.ts: eraseAccount). Refused while an order still needs the
 * customer's address, and for the last admin.
 */
export async function deleteAccount(deps: AccountDeps, userId: string): Promise<void> {
  if ((await countOrdersInProgress(deps.db, userId)) > 0) {
    throw refuse(
      "precondition",
      "You have orders that have not shipped yet; wait until they ship, or cancel them, then delete your account.",
      "orders_in_progress",
    );
  }
  if (!(await eraseAccount(deps.db, userId, new Date(deps.now())))) {
    throw refuse("precondition", "The shop's last administrator cannot delete their account.", "last_admin");
  }
  deps.sessions.forgetUser(userId);
}

/** Everything we hold about the user, orders with their lines and payments. */
export async function exportAccount(deps: AccountDeps, userId: string) {
  const data = await readAccountData(deps.db, userId);
  // A signed-in caller's row always exists (a deleted account is a tombstone row, and signed out).
  if (!data.profile) throw new Error("The signed-in user has no row");
  return {
    exportedAt: new Date(deps.now()),
    profile: data.profile,
    orders: data.orders.map((order) => ({
      ...order,
      lines: data.lines.filter((line) => line.orderId === order.id).map(({ orderId: _, ...line }) => line),
      payments: data.payments.filter((payment) => payment.orderId === order.id).map(({ orderId: _, ...payment }) => payment),
    })),
    reviews: data.reviews,
    cart: data.cart,
    sessions: data.sessions,
  };
}
