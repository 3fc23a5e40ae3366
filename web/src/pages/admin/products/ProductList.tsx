// The products list: every product (archived too), searchable and filtered by status.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { trpc } from "../../../api";
import { money } from "../../../format";
import { Link } from "../../../router";
import { ErrorState, Field, Loading, Select } from "../../../ui";
import { AdminPage } from "../Shell";

export function ProductList() {
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<"" | "active" | "archived">("");
  const products = useInfiniteQuery(
    trpc.admin.products.list.infiniteQueryOptions(
      { q: q || undefined, status: status || undefined, limit: 20 },
      { getNextPageParam: (last) => last.nextCursor },
    ),
  );
  const items = products.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <AdminPage
      title="Products"
      actions={
        <Link to="/admin/products/new" className="button">
          New product
        </Link>
      }
    >
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(search.trim());
        }}
      >
        <Field label="Find a product" name="q" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <Select
          label="Show"
          name="status"
          value={status}
          onChange={(e) => setStatus(e.target.value === "active" || e.target.value === "archived" ? e.target.value : "")}
        >
          <option value="">All products</option>
          <option value="active">On sale</option>
          <option value="archived">Archived</option>
        </Select>
        <button type="submit" className="secondary">
          Find
        </button>
      </form>
      {products.isPending ? (
        <Loading what="Loading products" />
      ) : products.isError ? (
        <ErrorState error={products.error} />
      ) : items.length === 0 ? (
        <p className="empty">No products match.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Products">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Price</th>
                <th scope="col">Stock</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/admin/products/${p.id}`}>{p.name}</Link>
                  </th>
                  <td>{p.status === "active" ? "On sale" : "Archived"}</td>
                  <td>{money(p.priceCents, p.currency)}</td>
                  <td>{p.stock}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {products.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void products.fetchNextPage()} disabled={products.isFetchingNextPage}>
          More products
        </button>
      )}
    </AdminPage>
  );
}
