// The back office's frame: admins only, a navigation between its screens, and shared labels.
import type { RouterOutputs } from "@storefront/client";
import type { ReactNode } from "react";
import { useSession } from "../../api";
import { Link, useLocation } from "../../router";
import { Alert, Page, SignedIn } from "../../ui";

export type AdminOrder = RouterOutputs["admin"]["orders"]["list"]["items"][number];
/** Every state a payment row can be in (an order's own view shows a failed payment as none). */
export type PaymentStatus = RouterOutputs["admin"]["orders"]["get"]["payments"][number]["status"];

export const PAYMENT_LABEL: Record<PaymentStatus, string> = {
  pending: "Payment pending",
  succeeded: "Paid",
  failed: "Payment failed",
  refund_pending: "Refund pending",
  refunded: "Refunded",
  refund_failed: "Refund failed",
  disputed: "Disputed",
};

/** Payment states an admin must act on. */
export const NEEDS_ATTENTION: ReadonlySet<PaymentStatus> = new Set(["refund_failed", "disputed"]);

export function PaymentBadge({ status }: { status: PaymentStatus | undefined }) {
  if (!status) return <span className="muted">Not charged</span>;
  return (
    <span className={`status payment-${status}${NEEDS_ATTENTION.has(status) ? " attention" : ""}`}>
      {NEEDS_ATTENTION.has(status) && <span aria-hidden="true">⚠ </span>}
      {PAYMENT_LABEL[status]}
    </span>
  );
}

const SCREENS = [
  ["/admin", "Dashboard"],
  ["/admin/products", "Products"],
  ["/admin/discounts", "Discounts"],
  ["/admin/orders", "Orders"],
  ["/admin/customers", "Customers"],
] as const;

function AdminNav() {
  const { path } = useLocation();
  const current = (to: string) => (to === "/admin" ? path === "/admin" : path.startsWith(to));
  return (
    <nav aria-label="Back office" className="admin-nav">
      {SCREENS.map(([to, label]) => (
        <Link key={to} to={to} aria-current={current(to) ? "page" : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}

function AdminOnly({ children }: { children: ReactNode }) {
  const { user } = useSession();
  if (user?.role !== "admin") return <Alert>Only administrators can open this page.</Alert>;
  return (
    <>
      <AdminNav />
      {children}
    </>
  );
}

/** A back-office screen; anyone else sees the "Admin" page with a refusal. */
export function AdminPage({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const { user } = useSession();
  return (
    <Page title={user?.role === "admin" ? title : "Admin"} actions={user?.role === "admin" ? actions : undefined}>
      <SignedIn>
        <AdminOnly>{children}</AdminOnly>
      </SignedIn>
    </Page>
  );
}
