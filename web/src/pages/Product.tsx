// A product: details, add to cart, reviews (newest first, paged), a review form, recommendations.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { errorCode, errorMessage, fieldErrors, trpc, useSession } from "../api";
import { date, money, STOCK_LABEL } from "../format";
import { Link } from "../router";
import { Alert, ErrorState, Field, useFocusFirstInvalid, Loading, Page, Select } from "../ui";
import { ProductCard, ProductImage } from "./Catalog";
import { initialValues, variantOf, VariantPicker } from "../components/VariantPicker";

function AddToCart({ productId, variantId, soldOut }: { productId: string; variantId: string | undefined; soldOut: boolean }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const [quantity, setQuantity] = useState(1);
  const add = useMutation(
    trpc.cart.addItem.mutationOptions({
      onSuccess: (cart) => queryClient.setQueryData(trpc.cart.get.queryKey(), cart),
    }),
  );
  if (!session.user) {
    return (
      <p>
        <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</Link> to buy.
      </p>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ productId, quantity, ...(variantId ? { variantId } : {}) });
  };
  return (
    <form className="buy" onSubmit={submit}>
      <Field
        label="Quantity"
        name="quantity"
        type="number"
        min={1}
        max={99}
        value={quantity}
        onChange={(e) => setQuantity(Number(e.target.value))}
        error={fieldErrors(add.error).quantity}
      />
      <button type="submit" disabled={soldOut || add.isPending}>
        {add.isPending ? "Adding…" : "Add to cart"}
      </button>
      {add.isSuccess && (
        <Alert kind="success">
          Added to your cart. <Link to="/cart">View cart</Link>
        </Alert>
      )}
      {add.isError && !fieldErrors(add.error).quantity && <Alert>{errorMessage(add.error)}</Alert>}
    </form>
  );
}

function ReviewForm({ productId }: { productId: string }) {
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [rating, setRating] = useState("5");
  const [body, setBody] = useState("");
  const create = useMutation(
    trpc.reviews.create.mutationOptions({
      onSuccess: () => {
        setBody("");
        void queryClient.invalidateQueries({ queryKey: trpc.reviews.list.pathKey() });
      },
    }),
  );
  const errors = fieldErrors(create.error);
  useFocusFirstInvalid(form, create.error);
  return (
    <form
      ref={form}
      className="card stack"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ productId, rating: Number(rating), body });
      }}
    >
      <h3>Write a review</h3>
      <Select label="Rating" name="rating" value={rating} onChange={(e) => setRating(e.target.value)} error={errors.rating}>
        {[5, 4, 3, 2, 1].map((n) => (
          <option key={n} value={n}>
            {n} star{n > 1 ? "s" : ""}
          </option>
        ))}
      </Select>
      <div className="field">
        <label htmlFor="review-body">Your review</label>
        <textarea
          id="review-body"
          rows={3}
          value={body}
          maxLength={4000}
          onChange={(e) => setBody(e.target.value)}
          aria-invalid={errors.body ? true : undefined}
          aria-describedby={errors.body ? "review-body-error" : undefined}
        />
        {errors.body && (
          <p className="field-error" id="review-body-error">
            {errors.body}
          </p>
        )}
      </div>
      <button type="submit" disabled={create.isPending}>
        Post review
      </button>
      {create.isSuccess && <Alert kind="success">Thank you for your review.</Alert>}
      {create.isError && !Object.keys(errors).length && <Alert>{errorMessage(create.error)}</Alert>}
    </form>
  );
}

function Reviews({ productId }: { productId: string }) {
  const session = useSession();
  const reviews = useInfiniteQuery(
    trpc.reviews.list.infiniteQueryOptions({ productId, limit: 5 }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const items = reviews.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="reviews-heading">
      <h2 id="reviews-heading">Reviews</h2>
      {reviews.isPending ? (
        <Loading what="Loading reviews" />
      ) : reviews.isError ? (
        <ErrorState error={reviews.error} retry={() => void reviews.refetch()} />
      ) : items.length === 0 ? (
        <p className="empty">No reviews yet.</p>
      ) : (
        <ul className="reviews">
          {items.map((review) => (
            <li key={review.id} className="card">
              <p>
                <strong aria-label={`${review.rating} out of 5`}>{"★".repeat(review.rating) + "☆".repeat(5 - review.rating)}</strong>{" "}
                {review.authorName} · {date(review.createdAt)}
                {review.verifiedPurchase && <span className="tag">Verified purchase</span>}
              </p>
              <p>{review.body}</p>
            </li>
          ))}
        </ul>
      )}
      {reviews.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void reviews.fetchNextPage()} disabled={reviews.isFetchingNextPage}>
          More reviews
        </button>
      )}
      {session.user && <ReviewForm productId={productId} />}
    </section>
  );
}

function Recommendations({ productId }: { productId: string }) {
  const recs = useQuery(trpc.catalog.recommendations.queryOptions({ productId, limit: 4 }));
  if (recs.isError || (recs.data && recs.data.length === 0)) return null;
  return (
    <section aria-labelledby="recs-heading">
      <h2 id="recs-heading">Often bought together</h2>
      {recs.isPending ? (
        <Loading what="Loading recommendations" />
      ) : (
        <ul className="grid">
          {recs.data.map((product) => (
            <ProductCard key={product.id} product={product} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function Product({ slug }: { slug: string }) {
  const product = useQuery(trpc.catalog.get.queryOptions({ slug }));
  // The values chosen in the picker; null until the shopper picks, meaning "the first in stock".
  const [picked, setPicked] = useState<string[] | null>(null);
  if (product.isPending) return <Loading what="Loading product" />;
  if (product.isError) {
    return (
      <Page title={errorCode(product.error) === "NOT_FOUND" ? "Product not found" : "Product unavailable"}>
        <ErrorState error={product.error} />
        <Link to="/">Back to the shop</Link>
      </Page>
    );
  }
  const p = product.data;
  const values = picked ?? initialValues(p.variants);
  const chosen = variantOf(p.variants, values);
  // The chosen variant's own image first, then the product's.
  const images = [...(chosen?.images ?? []), ...p.images.filter((i) => !chosen?.images.some((c) => c.url === i.url))];
  const stockStatus = chosen?.stockStatus ?? "out";
  return (
    <Page title={p.name}>
      <div className="product">
        {images.length > 0 && (
          <ul className="plain gallery" aria-label="Pictures">
            {images.map((image, i) => (
              <li key={image.url}>
                <ProductImage image={image} eager={i === 0} />
              </li>
            ))}
          </ul>
        )}
        <VariantPicker product={p} values={values} onChange={setPicked} />
        <p className="price big" aria-live="polite">
          {money(chosen?.priceCents ?? p.priceCents, p.currency)}
        </p>
        <p className={`stock stock-${stockStatus}`}>{chosen ? STOCK_LABEL[stockStatus] : "Not made in this combination"}</p>
        <p>{p.description}</p>
        <p>
          Category: <Link to={`/?category=${encodeURIComponent(p.category)}`}>{p.category}</Link>
          {p.rating.count > 0 && ` · ★ ${p.rating.average.toFixed(1)} from ${p.rating.count} review${p.rating.count > 1 ? "s" : ""}`}
        </p>
        <AddToCart productId={p.id} variantId={chosen?.id} soldOut={stockStatus === "out"} />
      </div>
      <Reviews productId={p.id} />
      <Recommendations productId={p.id} />
    </Page>
  );
}
