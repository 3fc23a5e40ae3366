// Orders: filter by status and payment state, search by order id or customer email, open one
// (lines, address, payments, history), ship / deliver / cancel with refund; both follow the shop's
// changes live.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, trpc } from "../../api";
import { date, money } from "../../format";
import { LiveShop } from "../../live";
import { Link, navigate, useLocation } from "../../router";
import { Alert, ErrorState, Field, Loading, Select } from "../../ui";
import { OrderCard } from "../Orders";
import { AdminPage, NEEDS_ATTENTION, PAYMENT_LABEL, PaymentBadge, type AdminOrder, type PaymentStatus } from "./Shell";

type Status = AdminOrder["status"];
const STATUSES: Status[] = ["pending", "paid", "shipped", "delivered", "cancelled"];
const isStatus = (v: string | null): v is Status => STATUSES.some((s) => s === v);
const isPayment = (v: string | null): v is PaymentStatus => v !== null && v in PAYMENT_LABEL;

const NEXT: Partial<Record<Status, { to: Status; label: string; danger?: boolean }[]>> = {
  paid: [
    { to: "shipped", label: "Mark shipped" },
    { to: "cancelled", label: "Cancel and refund", danger: true },
  ],
  shipped: [{ to: "delivered", label: "Mark delivered" }],
};

function Actions({ order }: { order: AdminOrder }) {
  const queryClient = useQueryClient();
  const set = useMutation(
    trpc.admin.orders.setStatus.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() }) }),
  );
  const next = NEXT[order.status];
  if (!next) return null;
  // The API refuses to ship an order whose payment has not succeeded; say why instead of offering it.
  const shippable = order.payment?.status === "succeeded";
  return (
    <div className="actions">
      {!shippable && next.some((n) => n.to === "shipped") && <p className="muted">Cannot ship until the payment has succeeded.</p>}
      {next
        .filter((n) => n.to !== "shipped" || shippable)
        .map((n) => (
          <button
            key={n.to}
            type="button"
            className={n.danger ? "danger" : undefined}
            disabled={set.isPending}
            onClick={() => {
              if (!n.danger || confirm(`Cancel order ${order.id.slice(-8)} and refund ${money(order.totalCents, order.currency)}?`))
                set.mutate({ id: order.id, status: n.to });
            }}
          >
            {n.label}
          </button>
        ))}
      {set.isError && <Alert>{errorMessage(set.error)}</Alert>}
    </div>
  );
}

/** What an admin must do about a payment in trouble. */
export function Attention({ order }: { order: AdminOrder }) {
  if (order.payment?.status === "refund_failed")
    return <Alert>The provider did not confirm this refund after every retry: refund it by hand at the provider.</Alert>;
  if (order.payment?.status === "disputed") return <Alert>The card holder disputed this payment: answer at the provider.</Alert>;
  return null;
}

export function OrderList() {
  const { params } = useLocation();
  const statusParam = params.get("status");
  const paymentParam = params.get("payment");
  const status = isStatus(statusParam) ? statusParam : undefined;
  const payment = isPayment(paymentParam) ? paymentParam : undefined;
  const search = params.get("q") ?? undefined;
  const [text, setText] = useState(search ?? "");
  const go = (next: { status?: string; payment?: string; q?: string }) => {
    const p = new URLSearchParams();
    const merged = { status, payment, q: search, ...next };
    for (const [k, v] of Object.entries(merged)) if (v) p.set(k, v);
    navigate(`/admin/orders${p.size ? `?${p}` : ""}`, { replace: true });
  };
  const orders = useInfiniteQuery(
    trpc.admin.orders.list.infiniteQueryOptions(
      { status, paymentStatus: payment, search, limit: 10 },
      { getNextPageParam: (last) => last.nextCursor },
    ),
  );
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <AdminPage title="Orders">
      <LiveShop
        stale={(order, shown) =>
          !shown || (status !== undefined && order.status !== status) || (payment !== undefined && order.payment?.status !== payment)
        }
      />
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: text.trim() });
        }}
      >
        <Select label="Status" name="status" value={status ?? ""} onChange={(e) => go({ status: e.target.value })}>
          <option value="">All</option>
          <option value="pending">Pending payment</option>
          <option value="paid">Paid (to ship)</option>
          <option value="shipped">Shipped</option>
          <option value="delivered">Delivered</option>
          <option value="cancelled">Cancelled</option>
        </Select>
        <Select label="Payment" name="payment" value={payment ?? ""} onChange={(e) => go({ payment: e.target.value })}>
          <option value="">Any</option>
          {Object.entries(PAYMENT_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
        <Field label="Order id or customer email" name="q" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="secondary">
          Search
        </button>
      </form>
      {orders.isPending ? (
        <Loading what="Loading orders" />
      ) : orders.isError ? (
        <ErrorState error={orders.error} />
      ) : items.length === 0 ? (
        <p className="empty">No orders match.</p>
      ) : (
        <ul className="orders" aria-label="Orders">
          {items.map((order) => (
            <OrderCard
              key={order.id}
              order={order}
              alert={order.payment ? NEEDS_ATTENTION.has(order.payment.status) : false}
              actions={
                <>
                  <Attention order={order} />
                  <p>
                    {order.customer.email} ·{" "}
                    <Link to={`/admin/orders/${order.id}`} aria-label={`Open order ${order.id.slice(-8)}`}>
                      Open
                    </Link>
                  </p>
                  <Actions order={order} />
                </>
              }
            />
          ))}
        </ul>
      )}
      {orders.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void orders.fetchNextPage()} disabled={orders.isFetchingNextPage}>
          More orders
        </button>
      )}
    </AdminPage>
  );
}

const STATUS_WORD: Record<Status, string> = {
  pending: "placed",
  paid: "paid",
  shipped: "shipped",
  delivered: "delivered",
  cancelled: "cancelled",
};

export function OrderDetail({ id }: { id: string }) {
  const order = useQuery(trpc.admin.orders.get.queryOptions({ id }));
  if (order.isPending)
    return (
      <AdminPage title="Order">
        <Loading what="Loading order" />
      </AdminPage>
    );
  if (order.isError)
    return (
      <AdminPage title="Order">
        <ErrorState error={order.error} />
      </AdminPage>
    );
  const o = order.data;
  const a = o.shippingAddress;
  return (
    <AdminPage title={`Order ${o.id.slice(-8)}`}>
      <LiveShop stale={() => false} />
      {o.payment && NEEDS_ATTENTION.has(o.payment.status) && (
        <Alert>This order's payment needs attention: {PAYMENT_LABEL[o.payment.status]}.</Alert>
      )}
      <div className="two-col admin">
        <ul className="orders plain">
          <OrderCard order={o} actions={<Actions order={o} />} />
        </ul>
        <div className="stack">
          <section aria-labelledby="customer" className="card">
            <h2 id="customer">Customer</h2>
            <p>
              <Link to={`/admin/customers?user=${o.customer.id}`}>{o.customer.name}</Link> · {o.customer.email}
            </p>
            <address>
              {a.name}
              <br />
              {a.line1}
              {a.line2 && (
                <>
                  <br />
                  {a.line2}
                </>
              )}
              <br />
              {a.postalCode} {a.city}
              {a.region ? `, ${a.region}` : ""} · {a.country}
            </address>
          </section>
          <section aria-labelledby="payment" className="card">
            <h2 id="payment">Payment</h2>
            <p>
              <PaymentBadge status={o.payment?.status} />
            </p>
            <ul className="plain">
              {o.payments.map((p) => (
                <li key={p.id}>
                  {date(p.createdAt)} · {p.provider} · {money(p.amountCents, o.currency)} · {PAYMENT_LABEL[p.status]}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="history" className="card">
            <h2 id="history">History</h2>
            <ol className="history">
              {o.history.map((h) => (
                <li key={`${h.to}-${h.at.getTime()}`}>
                  <time dateTime={h.at.toISOString()}>{h.at.toLocaleString("en-US")}</time>: {STATUS_WORD[h.to]}
                  {h.actor ? ` by ${h.actor.email}` : " (payment provider or shop)"}
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>
    </AdminPage>
  );
}
