// The cart: quantities, removal, a discount code, the totals the API computed, and its warnings.
import type { RouterOutputs } from "@storefront/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, fieldErrors, trpc } from "../api";
import { money, STOCK_LABEL } from "../format";
import { Link } from "../router";
import { Alert, ErrorState, Field, Loading, Page, SignedIn } from "../ui";

export type CartView = RouterOutputs["cart"]["get"];

/** Every cart mutation returns the cart as it now stands: put it straight into the cache. */
function useCartMutationOptions() {
  const queryClient = useQueryClient();
  return { onSuccess: (cart: CartView) => queryClient.setQueryData(trpc.cart.get.queryKey(), cart) };
}

function warningText(cart: CartView, warning: CartView["warnings"][number]) {
  const name = (productId: string) => cart.lines.find((l) => l.productId === productId)?.name ?? "An item";
  switch (warning.kind) {
    case "price_changed":
      return `${name(warning.productId)} changed price from ${money(warning.fromCents, cart.currency)} to ${money(warning.toCents, cart.currency)}.`;
    case "out_of_stock":
      // The API tells a quantity only when few are left, never the stock count.
      if (warning.stockStatus === "out") return `${name(warning.productId)} is sold out; remove it to check out.`;
      if (warning.maxQuantity !== undefined) {
        return `${name(warning.productId)}: only a few left, you can order up to ${warning.maxQuantity}; lower the quantity to check out.`;
      }
      return `${name(warning.productId)}: we do not have that many; lower the quantity to check out.`;
    case "unavailable":
      return `${name(warning.productId)} is no longer sold; remove it to check out.`;
    case "discount_removed":
      return `Your discount code no longer applies (${warning.reason.replaceAll("_", " ")}).`;
  }
}

/** The money lines of a cart or an order; inclusive tax is shown as contained in the total. */
export function Totals({
  cart,
}: {
  cart: Pick<
    CartView,
    "currency" | "subtotalCents" | "discountCents" | "discountCode" | "shippingCents" | "taxCents" | "taxInclusive" | "totalCents"
  >;
}) {
  return (
    <dl className="totals" aria-label="Order totals">
      <dt>Subtotal</dt>
      <dd>{money(cart.subtotalCents, cart.currency)}</dd>
      {cart.discountCents > 0 && (
        <>
          <dt>Discount{cart.discountCode && ` (${cart.discountCode})`}</dt>
          <dd data-testid="discount">−{money(cart.discountCents, cart.currency)}</dd>
        </>
      )}
      <dt>Shipping</dt>
      <dd>{cart.shippingCents === 0 ? "Free" : money(cart.shippingCents, cart.currency)}</dd>
      {cart.taxCents > 0 && (
        <>
          <dt>{cart.taxInclusive ? "Tax included" : "Tax"}</dt>
          <dd data-testid="tax">{money(cart.taxCents, cart.currency)}</dd>
        </>
      )}
      <dt className="total">Total</dt>
      <dd className="total" data-testid="total">
        {money(cart.totalCents, cart.currency)}
      </dd>
    </dl>
  );
}

function Line({ line, currency }: { line: CartView["lines"][number]; currency: string }) {
  const options = useCartMutationOptions();
  const update = useMutation(trpc.cart.updateItem.mutationOptions(options));
  const remove = useMutation(trpc.cart.removeItem.mutationOptions(options));
  const error = update.error ?? remove.error;
  return (
    <li className="card cart-line">
      <div>
        <Link to={`/products/${encodeURIComponent(line.slug)}`}>{line.name}</Link>
        {line.variantLabel && <span className="variant-label"> — {line.variantLabel}</span>}
        <p className="muted">
          {money(line.unitPriceCents, currency)} each ·{" "}
          <span className={`stock stock-${line.stockStatus}`}>{STOCK_LABEL[line.stockStatus]}</span>
        </p>
      </div>
      <div className="field inline">
        <label htmlFor={`qty-${line.variantId}`}>Quantity</label>
        <select
          id={`qty-${line.variantId}`}
          value={line.quantity}
          disabled={update.isPending}
          onChange={(e) => update.mutate({ productId: line.productId, variantId: line.variantId, quantity: Number(e.target.value) })}
        >
          {Array.from({ length: Math.max(10, line.quantity) }, (_, i) => i + 1).map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </div>
      <strong>{money(line.lineTotalCents, currency)}</strong>
      <button
        type="button"
        className="link"
        onClick={() => remove.mutate({ productId: line.productId, variantId: line.variantId })}
        disabled={remove.isPending}
      >
        Remove<span className="visually-hidden"> {[line.name, line.variantLabel].filter(Boolean).join(" ")}</span>
      </button>
      {error && <Alert>{errorMessage(error)}</Alert>}
    </li>
  );
}

function Discount({ cart }: { cart: CartView }) {
  const options = useCartMutationOptions();
  const [code, setCode] = useState("");
  const apply = useMutation(trpc.cart.applyDiscount.mutationOptions({ ...options, onSuccess: (c) => (options.onSuccess(c), setCode("")) }));
  const remove = useMutation(trpc.cart.removeDiscount.mutationOptions(options));
  if (cart.discountCode) {
    return (
      <p>
        Code <strong>{cart.discountCode}</strong> applied.{" "}
        <button type="button" className="link" onClick={() => remove.mutate()} disabled={remove.isPending}>
          Remove code
        </button>
      </p>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply.mutate({ code });
  };
  // A refusal (unknown, expired, minimum not met…) belongs to the code field, as does a validation issue.
  const error = apply.isError ? (fieldErrors(apply.error).code ?? errorMessage(apply.error)) : undefined;
  return (
    <form className="discount" onSubmit={submit}>
      <Field label="Discount code" name="code" value={code} onChange={(e) => setCode(e.target.value)} error={error} autoComplete="off" />
      <button type="submit" className="secondary" disabled={apply.isPending || !code.trim()}>
        Apply
      </button>
    </form>
  );
}

function CartContents() {
  const cart = useQuery(trpc.cart.get.queryOptions());
  if (cart.isPending) return <Loading what="Loading your cart" />;
  if (cart.isError) return <ErrorState error={cart.error} retry={() => void cart.refetch()} />;
  const c = cart.data;
  if (c.lines.length === 0) {
    return (
      <p className="empty">
        Your cart is empty. <Link to="/">Browse the shop</Link>.
      </p>
    );
  }
  return (
    <div className="two-col">
      <ul className="cart-lines" aria-label="Items in your cart">
        {c.lines.map((line) => (
          <Line key={line.variantId} line={line} currency={c.currency} />
        ))}
      </ul>
      <aside className="card stack">
        {c.warnings.map((warning, i) => (
          <Alert key={i} kind="info">
            {warningText(c, warning)}
          </Alert>
        ))}
        <Discount cart={c} />
        <Totals cart={c} />
        <Link to="/checkout" className="button">
          Check out
        </Link>
      </aside>
    </div>
  );
}

export const Cart = () => (
  <Page title="Your cart">
    <SignedIn>
      <CartContents />
    </SignedIn>
  </Page>
);
