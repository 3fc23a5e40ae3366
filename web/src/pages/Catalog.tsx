// The catalog: category filter, search and sort kept in the URL, "Load more" over keyset pages.
// A search without a chosen sort is ranked by relevance ("Best match"), as the API does.
import type { RouterInputs, RouterOutputs } from "@storefront/client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { trpc } from "../api";
import { money, STOCK_LABEL } from "../format";
import { Link, navigate, useLocation } from "../router";
import { ErrorState, Loading, Page } from "../ui";

type Sort = NonNullable<RouterInputs["catalog"]["list"]["sort"]>;
const SORTS: Record<Sort, string> = {
  newest: "Newest",
  price_asc: "Price: low to high",
  price_desc: "Price: high to low",
  rating: "Top rated",
};
const isSort = (value: string | null): value is Sort => value !== null && value in SORTS;

export type ProductSummary = RouterOutputs["catalog"]["list"]["items"][number];

type Image = ProductSummary["images"][number];

/**
 * A product's picture at a fixed 4:3 frame: width and height come from the API, so the browser
 * reserves the space before the bytes arrive (no layout shift). A product without images gets a
 * neutral block of the same frame, so a grid of mixed cards stays aligned.
 */
export function ProductImage({ image, eager = false }: { image: Image | undefined; eager?: boolean }) {
  if (!image) return <div className="thumb thumb-empty" aria-hidden="true" />;
  return (
    <img
      className="thumb"
      src={image.url}
      width={image.width}
      height={image.height}
      alt={image.alt}
      loading={eager ? "eager" : "lazy"}
      decoding="async"
    />
  );
}

export function ProductCard({ product }: { product: ProductSummary }) {
  return (
    <li className="card product-card">
      <ProductImage image={product.images[0]} />
      <Link to={`/products/${encodeURIComponent(product.slug)}`} className="product-link">
        <span className="product-name">{product.name}</span>
      </Link>
      <span className="price">{money(product.priceCents, product.currency)}</span>
      <span className={`stock stock-${product.stockStatus}`}>{STOCK_LABEL[product.stockStatus]}</span>
      {product.rating.count > 0 && (
        <span className="rating" aria-label={`Rated ${product.rating.average} out of 5 by ${product.rating.count}`}>
          ★ {product.rating.average.toFixed(1)} ({product.rating.count})
        </span>
      )}
    </li>
  );
}

export function Catalog() {
  const { params } = useLocation();
  const category = params.get("category") ?? undefined;
  const q = params.get("q") ?? undefined;
  const sortParam = params.get("sort");
  const sort: Sort | undefined = isSort(sortParam) ? sortParam : undefined;
  const [search, setSearch] = useState(q ?? "");

  const go = (next: { category?: string; q?: string; sort?: Sort }) => {
    const merged = { category, q, sort, ...next };
    const query = new URLSearchParams(Object.entries(merged).filter((entry): entry is [string, string] => Boolean(entry[1])));
    navigate(query.size ? `/?${query}` : "/");
  };

  const categories = useQuery(trpc.catalog.categories.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  const products = useInfiniteQuery(
    trpc.catalog.list.infiniteQueryOptions({ category, q, sort, limit: 12 }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const items = products.data?.pages.flatMap((page) => page.items) ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    go({ q: search.trim() || undefined });
  };

  const title = q ? `Results for “${q}”` : (categories.data?.find((c) => c.slug === category)?.name ?? "All products");
  return (
    <Page title={title}>
      <form className="toolbar" role="search" onSubmit={submit}>
        <div className="field inline">
          <label htmlFor="search">Search products</label>
          <input id="search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} maxLength={100} />
        </div>
        <button type="submit">Search</button>
        <div className="field inline">
          <label htmlFor="sort">Sort by</label>
          <select
            id="sort"
            value={sort ?? (q ? "" : "newest")}
            onChange={(e) => go({ sort: isSort(e.target.value) ? e.target.value : undefined })}
          >
            {q && <option value="">Best match</option>}
            {Object.entries(SORTS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </form>

      <nav aria-label="Categories" className="categories">
        <Link to={q ? `/?q=${encodeURIComponent(q)}` : "/"} aria-current={!category ? "page" : undefined}>
          All
        </Link>
        {categories.data?.map((c) => (
          <Link key={c.id} to={`/?category=${encodeURIComponent(c.slug)}`} aria-current={c.slug === category ? "page" : undefined}>
            {c.name}
          </Link>
        ))}
      </nav>

      {products.isPending ? (
        <Loading what="Loading products" />
      ) : products.isError && items.length === 0 ? (
        <ErrorState error={products.error} retry={() => void products.refetch()} />
      ) : items.length === 0 ? (
        <p className="empty">No products match. Try another search or category.</p>
      ) : (
        <>
          <ul className="grid" aria-label="Products">
            {items.map((product) => (
              <ProductCard key={product.id} product={product} />
            ))}
          </ul>
          {products.isFetchNextPageError && <ErrorState error={products.error} />}
          {products.hasNextPage && (
            <button
              type="button"
              className="secondary more"
              onClick={() => void products.fetchNextPage()}
              disabled={products.isFetchingNextPage}
            >
              {products.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          )}
        </>
      )}
    </Page>
  );
}
