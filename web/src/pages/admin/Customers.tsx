// Customers: find a user by (the start of) their email, see their orders, change their role.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, trpc, useSession } from "../../api";
import { date, money } from "../../format";
import { Link, navigate, useLocation } from "../../router";
import { Alert, ErrorState, Field, Loading, Select } from "../../ui";
import { AdminPage, PaymentBadge } from "./Shell";

function Customer({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const { user: me } = useSession();
  const user = useQuery(trpc.admin.users.get.queryOptions({ id }));
  const orders = useInfiniteQuery(
    trpc.admin.orders.list.infiniteQueryOptions({ userId: id, limit: 10 }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const setRole = useMutation(
    trpc.admin.users.setRole.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.pathKey() }) }),
  );
  if (user.isPending) return <Loading what="Loading customer" />;
  if (user.isError) return <ErrorState error={user.error} />;
  const u = user.data;
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="customer-name" className="card stack">
      <h2 id="customer-name">{u.name}</h2>
      <p>
        {u.email} · customer since {date(u.createdAt)}
      </p>
      <Select
        label="Role"
        name="role"
        value={u.role}
        disabled={setRole.isPending || u.id === me?.id}
        onChange={(e) => setRole.mutate({ userId: u.id, role: e.target.value === "admin" ? "admin" : "customer" })}
        error={setRole.isError ? errorMessage(setRole.error) : undefined}
      >
        <option value="customer">Customer</option>
        <option value="admin">Administrator</option>
      </Select>
      {u.id === me?.id && <p className="hint">You cannot change your own role.</p>}
      {setRole.isSuccess && <Alert kind="success">Role saved.</Alert>}
      <h3>Orders</h3>
      {orders.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">No orders yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Status</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr key={o.id}>
                <th scope="row">
                  <Link to={`/admin/orders/${o.id}`}>{o.id.slice(-8)}</Link>
                </th>
                <td>{date(o.createdAt)}</td>
                <td>
                  {o.status} · <PaymentBadge status={o.payment?.status} />
                </td>
                <td>{money(o.totalCents, o.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Customers() {
  const { params } = useLocation();
  const selected = params.get("user");
  const [text, setText] = useState(params.get("email") ?? "");
  const email = params.get("email") ?? "";
  const found = useQuery({ ...trpc.admin.users.find.queryOptions({ email }), enabled: email !== "" });
  return (
    <AdminPage title="Customers">
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) navigate(`/admin/customers?email=${encodeURIComponent(text.trim())}`, { replace: true });
        }}
      >
        <Field label="Email (or its beginning)" name="email" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="secondary">
          Find
        </button>
      </form>
      <div className="two-col admin">
        <div>
          {found.isFetching && <Loading what="Searching" />}
          {found.isError && <ErrorState error={found.error} />}
          {found.data && (
            <ul className="plain" aria-label="Customers found">
              {found.data.map((u) => (
                <li key={u.id}>
                  <Link
                    to={`/admin/customers?email=${encodeURIComponent(email)}&user=${u.id}`}
                    aria-current={selected === u.id ? "true" : undefined}
                  >
                    {u.email}
                  </Link>{" "}
                  <span className="muted">
                    {u.name}
                    {u.role === "admin" && " · administrator"}
                  </span>
                </li>
              ))}
              {found.data.length === 0 && <li className="empty">Nobody with such an email.</li>}
            </ul>
          )}
        </div>
        {selected && <Customer id={selected} />}
      </div>
    </AdminPage>
  );
}
