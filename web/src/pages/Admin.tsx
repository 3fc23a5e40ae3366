// Admin: ship orders (the API enforces the state machine and the payment), see payment and refund trouble, edit stock.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, fieldErrors, trpc, useSession } from "../api";
import { Alert, ErrorState, Field, Loading, Page, Select, SignedIn } from "../ui";
import { OrderCard, type Order } from "./Orders";

type Status = Order["status"];
const NEXT: Partial<Record<Status, { to: Status; label: string }>> = {
  paid: { to: "shipped", label: "Mark shipped" },
  shipped: { to: "delivered", label: "Mark delivered" },
};

function Advance({ order }: { order: Order }) {
  const queryClient = useQueryClient();
  const set = useMutation(
    trpc.admin.orders.setStatus.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.orders.pathKey() }),
    }),
  );
  const next = NEXT[order.status];
  if (!next) return null;
  // The API refuses to ship an order whose payment has not succeeded; say why instead of offering it.
  if (next.to === "shipped" && order.payment?.status !== "succeeded") {
    return <p className="muted">Cannot ship until the payment has succeeded.</p>;
  }
  return (
    <div className="actions">
      <button type="button" onClick={() => set.mutate({ id: order.id, status: next.to })} disabled={set.isPending}>
        {next.label}
      </button>
      {set.isError && <Alert>{errorMessage(set.error)}</Alert>}
    </div>
  );
}

function AdminOrders() {
  const [status, setStatus] = useState<Status | "">("paid");
  const orders = useInfiniteQuery(
    trpc.admin.orders.list.infiniteQueryOptions(
      { status: status || undefined, limit: 10 },
      { getNextPageParam: (last) => last.nextCursor },
    ),
  );
  const items = orders.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="admin-orders">
      <h2 id="admin-orders">Orders</h2>
      <Select label="Status" name="status" value={status} onChange={(e) => setStatus(e.target.value as Status | "")}>
        <option value="">All</option>
        <option value="paid">Paid (to ship)</option>
        <option value="shipped">Shipped</option>
        <option value="delivered">Delivered</option>
        <option value="cancelled">Cancelled</option>
      </Select>
      {orders.isPending ? (
        <Loading what="Loading orders" />
      ) : orders.isError ? (
        <ErrorState error={orders.error} retry={() => void orders.refetch()} />
      ) : items.length === 0 ? (
        <p className="empty">No orders.</p>
      ) : (
        <ul className="orders" aria-label="Orders">
          {items.map((order) => (
            <OrderCard
              key={order.id}
              order={order}
              alert={order.payment?.status === "refund_failed" || order.payment?.status === "disputed"}
              actions={
                <>
                  {order.payment?.status === "refund_failed" && (
                    <Alert>The provider did not confirm this refund after every retry: refund it by hand at the provider.</Alert>
                  )}
                  {order.payment?.status === "disputed" && <Alert>The card holder disputed this payment: answer at the provider.</Alert>}
                  <Advance order={order} />
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
    </section>
  );
}

function StockEditor({ productId }: { productId: string }) {
  const queryClient = useQueryClient();
  const product = useQuery(trpc.admin.products.get.queryOptions({ id: productId }));
  const [stock, setStock] = useState<string | null>(null);
  const save = useMutation(
    trpc.admin.products.setStock.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.admin.products.get.queryKey({ id: productId }), updated);
        setStock(null);
        void queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
      },
    }),
  );
  if (product.isPending) return <Loading what="Loading stock" />;
  if (product.isError) return <ErrorState error={product.error} />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ productId, stock: Number(stock ?? product.data.stock) });
  };
  return (
    <form className="stock-form" onSubmit={submit}>
      <Field
        label={`Stock of ${product.data.name}`}
        name="stock"
        type="number"
        min={0}
        inputMode="numeric"
        value={stock ?? String(product.data.stock)}
        onChange={(e) => setStock(e.target.value)}
        error={fieldErrors(save.error).stock}
      />
      <button type="submit" disabled={save.isPending}>
        Save stock
      </button>
      {save.isSuccess && <Alert kind="success">Stock saved: {save.data.stock}.</Alert>}
      {save.isError && !fieldErrors(save.error).stock && <Alert>{errorMessage(save.error)}</Alert>}
    </form>
  );
}

function AdminStock() {
  const [search, setSearch] = useState("");
  const [q, setQ] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<string | null>(null);
  const products = useQuery({ ...trpc.catalog.list.queryOptions({ q, limit: 10 }), enabled: q !== undefined });
  return (
    <section aria-labelledby="admin-stock">
      <h2 id="admin-stock">Stock</h2>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(search.trim());
          setSelected(null);
        }}
      >
        <div className="field inline">
          <label htmlFor="stock-search">Find a product</label>
          <input id="stock-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <button type="submit" className="secondary">
          Find
        </button>
      </form>
      {products.isFetching && <Loading what="Searching" />}
      {products.isError && <ErrorState error={products.error} />}
      {products.data && (
        <ul className="plain stock-list" aria-label="Products found">
          {products.data.items.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className="link"
                aria-expanded={selected === p.id}
                onClick={() => setSelected(selected === p.id ? null : p.id)}
              >
                {p.name}
              </button>{" "}
              <span className={`stock stock-${p.stockStatus}`}>{p.stockStatus.replace("_", " ")}</span>
              {selected === p.id && <StockEditor productId={p.id} />}
            </li>
          ))}
          {products.data.items.length === 0 && <li className="empty">No products match.</li>}
        </ul>
      )}
    </section>
  );
}

/** Refunds the provider never confirmed: listed first, whatever the order filter below shows. */
function RefundFailures() {
  const failed = useQuery(trpc.admin.orders.list.queryOptions({ paymentStatus: "refund_failed", limit: 20 }));
  if (!failed.data || failed.data.items.length === 0) return null;
  return (
    <section aria-labelledby="refund-failures" className="refund-failures">
      <h2 id="refund-failures">Refunds that failed ({failed.data.items.length})</h2>
      <ul className="orders" aria-label="Refunds that failed">
        {failed.data.items.map((order) => (
          <OrderCard key={order.id} order={order} alert />
        ))}
      </ul>
    </section>
  );
}

function AdminOnly() {
  const { user } = useSession();
  if (user?.role !== "admin") return <Alert>Only administrators can open this page.</Alert>;
  return (
    <div className="two-col admin">
      <RefundFailures />
      <AdminOrders />
      <AdminStock />
    </div>
  );
}

export const Admin = () => (
  <Page title="Admin">
    <SignedIn>
      <AdminOnly />
    </SignedIn>
  </Page>
);
