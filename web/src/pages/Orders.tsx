// Order history, newest first, and one order's own page that follows its changes live; cancel
// while an order is paid and not yet shipped.
import type { RouterOutputs } from "@storefront/client";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage, trpc } from "../api";
import { date, money } from "../format";
import { LiveOrder } from "../live";
import { Link, useLocation } from "../router";
import { Alert, ErrorState, Loading, Page, SignedIn } from "../ui";

export type Order = RouterOutputs["orders"]["get"];

const STATUS_LABEL: Record<Order["status"], string> = {
  pending: "Pending payment",
  paid: "Paid",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
};

type PaymentStatus = NonNullable<Order["payment"]>["status"];

const PAYMENT_LABEL: Record<PaymentStatus, string> = {
  pending: "Payment pending",
  succeeded: "Payment received",
  refund_pending: "Refund in progress",
  refunded: "Refunded",
  refund_failed: "Refund failed",
  disputed: "Payment disputed",
};

/** The payment's state; null is a payment that failed or was released (nothing was charged). */
export function PaymentBadge({ payment }: { payment: Order["payment"] }) {
  const status = payment?.status;
  return (
    <span className={`status payment-${status ?? "none"}`} data-testid="payment-status">
      {status ? PAYMENT_LABEL[status] : "Not charged"}
    </span>
  );
}

/** One order's summary; `actions` are the buttons its viewer may use. */
export function OrderCard({
  order,
  actions,
  highlight,
  alert,
}: {
  order: Order;
  actions?: ReactNode;
  highlight?: boolean;
  /** Needs an admin's attention (a refund that failed, a dispute). */
  alert?: boolean;
}) {
  const a = order.shippingAddress;
  return (
    <li className={`card order${highlight ? " highlight" : ""}${alert ? " attention" : ""}`} data-testid="order" data-order-id={order.id}>
      <div className="order-head">
        <h2>
          Order <span className="mono">{order.id.slice(-8)}</span>
        </h2>
        <span className="badges">
          <span className={`status status-${order.status}`} data-testid="order-status">
            {STATUS_LABEL[order.status]}
          </span>
          <PaymentBadge payment={order.payment} />
        </span>
      </div>
      <p className="muted">
        {date(order.createdAt)} · to {a.name}, {a.city}, {a.country}
      </p>
      <ul className="plain">
        {order.lines.map((line) => (
          <li key={line.variantId}>
            {line.quantity} × {line.name}
            {line.variantLabel && ` (${line.variantLabel})`} — {money(line.unitPriceCents * line.quantity, order.currency)}
          </li>
        ))}
      </ul>
      <p>
        {order.discountCode && (
          <>
            Discount {order.discountCode}: −{money(order.discountCents, order.currency)} ·{" "}
          </>
        )}
        Shipping {money(order.shippingCents, order.currency)} ·{" "}
        {order.taxCents > 0 && (
          <>
            {order.taxInclusive ? "Tax included" : "Tax"} {money(order.taxCents, order.currency)} ·{" "}
          </>
        )}
        <strong>Total {money(order.totalCents, order.currency)}</strong>
      </p>
      {actions}
    </li>
  );
}

function CancelButton({ order }: { order: Order }) {
  const queryClient = useQueryClient();
  const cancel = useMutation(
    trpc.orders.cancel.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() }) }),
  );
  return (
    <div className="actions">
      <button
        type="button"
        className="danger"
        disabled={cancel.isPending}
        onClick={() => {
          if (confirm("Cancel this order? You will be refunded in full.")) cancel.mutate({ id: order.id });
        }}
      >
        {cancel.isPending ? "Cancelling…" : "Cancel order"}
      </button>
      {cancel.isError && <Alert>{errorMessage(cancel.error)}</Alert>}
    </div>
  );
}

function OrderList() {
  const placed = useLocation().params.get("placed");
  const orders = useInfiniteQuery(trpc.orders.list.infiniteQueryOptions({ limit: 10 }, { getNextPageParam: (last) => last.nextCursor }));
  if (orders.isPending) return <Loading what="Loading your orders" />;
  if (orders.isError) return <ErrorState error={orders.error} retry={() => void orders.refetch()} />;
  const items = orders.data.pages.flatMap((page) => page.items);
  return (
    <>
      {placed && <Alert kind="success">Thank you! Your order is placed and paid.</Alert>}
      {items.length === 0 ? (
        <p className="empty">You have no orders yet.</p>
      ) : (
        <ul className="orders" aria-label="Your orders">
          {items.map((order) => (
            <OrderCard
              key={order.id}
              order={order}
              highlight={order.id === placed}
              actions={
                <>
                  <p>
                    <Link to={`/orders/${order.id}`} aria-label={`Follow order ${order.id.slice(-8)}`}>
                      Follow this order
                    </Link>
                  </p>
                  {order.status === "paid" && <CancelButton order={order} />}
                </>
              }
            />
          ))}
        </ul>
      )}
      {orders.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void orders.fetchNextPage()} disabled={orders.isFetchingNextPage}>
          Older orders
        </button>
      )}
    </>
  );
}

export const Orders = () => (
  <Page title="Your orders">
    <SignedIn>
      <OrderList />
    </SignedIn>
  </Page>
);

function OneOrder({ id }: { id: string }) {
  const order = useQuery(trpc.orders.get.queryOptions({ id }));
  if (order.isPending) return <Loading what="Loading your order" />;
  if (order.isError) return <ErrorState error={order.error} retry={() => void order.refetch()} />;
  return (
    <>
      <LiveOrder id={id} />
      <ul className="orders plain">
        <OrderCard order={order.data} actions={order.data.status === "paid" && <CancelButton order={order.data} />} />
      </ul>
      <p>
        <Link to={`/orders/${encodeURIComponent(id)}/receipt`}>Receipt</Link> · <Link to="/orders">All your orders</Link>
      </p>
    </>
  );
}

/** One order, changing as it does (paid, shipped, delivered, refunded) while the page is open. */
export const OrderPage = ({ id }: { id: string }) => (
  <Page title={`Order ${id.slice(-8)}`}>
    <SignedIn>
      <OneOrder id={id} />
    </SignedIn>
  </Page>
);
