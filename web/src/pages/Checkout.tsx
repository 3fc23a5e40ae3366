// Checkout: shipping address, a test payment token, one idempotent placeOrder call, and the bank's
// confirmation step when the payment needs 3-D Secure.
import type { RouterInputs, RouterOutputs } from "@storefront/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { errorCode, errorMessage, errorReason, fieldErrors, trpc } from "../api";
import { Link, navigate } from "../router";
import { Alert, ErrorState, Field, useFocusFirstInvalid, Loading, Page, Select, SignedIn } from "../ui";
import { Totals } from "./Cart";

type Address = RouterInputs["checkout"]["placeOrder"]["shippingAddress"];
type NextAction = NonNullable<RouterOutputs["checkout"]["placeOrder"]["nextAction"]>;

const TEST_CARDS = [
  ["tok_visa", "Test card that succeeds (tok_visa)"],
  ["tok_declined", "Test card that is declined (tok_declined)"],
  ["tok_error", "Test card whose provider is down (tok_error)"],
  ["tok_threeDSecure2Required", "Test card that needs 3-D Secure (tok_threeDSecure2Required)"],
] as const;

/**
 * The bank's step for a payment that needs the customer (3-D Secure). The order is pending until
 * the provider's webhook settles it. With the test provider, the bank is its dev-only confirm
 * endpoint, which sends the signed webhook; a Stripe frontend would call Stripe.js
 * `handleNextAction({ clientSecret })` here instead (not bundled in this demo app).
 */
function ConfirmWithBank({ orderId, action }: { orderId: string; action: NextAction }) {
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: async (outcome: "succeeded" | "failed") => {
      const response = await fetch("/dev/test-payments/confirm", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ clientSecret: action.clientSecret, outcome }),
      });
      if (!response.ok) throw new Error("Your bank could not confirm this payment. Try again, or place the order again.");
      return outcome;
    },
    onSuccess: (outcome) => {
      void queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() });
      navigate(outcome === "succeeded" ? `/orders?placed=${encodeURIComponent(orderId)}` : "/orders");
    },
  });
  if (action.provider !== "test") {
    return (
      <Alert>
        <p>Your bank needs to confirm this payment, which this demo app cannot do with {action.provider}. Your order waits as pending.</p>
      </Alert>
    );
  }
  return (
    <section className="card stack" aria-labelledby="confirm-with-bank">
      <h2 id="confirm-with-bank">Confirm with your bank</h2>
      <p>Your bank asks you to confirm this payment (3-D Secure). Your order is reserved until you do.</p>
      {confirm.isError && (
        <Alert>
          <p>{confirm.error.message}</p>
        </Alert>
      )}
      <div className="actions">
        <button type="button" disabled={confirm.isPending} onClick={() => confirm.mutate("succeeded")}>
          {confirm.isPending ? "Confirming…" : "Confirm payment"}
        </button>
        <button type="button" className="secondary" disabled={confirm.isPending} onClick={() => confirm.mutate("failed")}>
          Cancel payment
        </button>
      </div>
    </section>
  );
}

const ADDRESS_FIELDS: { name: keyof Address; label: string; autoComplete: string; required: boolean; hint?: string }[] = [
  { name: "name", label: "Full name", autoComplete: "name", required: true },
  { name: "line1", label: "Address", autoComplete: "address-line1", required: true },
  { name: "line2", label: "Apartment, suite (optional)", autoComplete: "address-line2", required: false },
  { name: "city", label: "City", autoComplete: "address-level2", required: true },
  { name: "region", label: "State or region (optional)", autoComplete: "address-level1", required: false },
  { name: "postalCode", label: "Postal code", autoComplete: "postal-code", required: true },
  { name: "country", label: "Country code", autoComplete: "country", required: true, hint: "Two letters, e.g. US, DE, FR." },
];

function CheckoutForm() {
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const cart = useQuery(trpc.cart.get.queryOptions());
  const [address, setAddress] = useState<Address>({ name: "", line1: "", line2: "", city: "", region: "", postalCode: "", country: "US" });
  const [paymentToken, setPaymentToken] = useState<string>("tok_visa");
  // One key per attempt: a retry after a network failure reuses it, so it can never charge twice.
  const idempotencyKey = useRef(crypto.randomUUID());
  const [awaiting, setAwaiting] = useState<{ orderId: string; action: NextAction } | null>(null);
  const place = useMutation(
    trpc.checkout.placeOrder.mutationOptions({
      onSuccess: (order) => {
        queryClient.removeQueries({ queryKey: trpc.cart.get.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() });
        if (order.nextAction) setAwaiting({ orderId: order.id, action: order.nextAction });
        else navigate(`/orders?placed=${encodeURIComponent(order.id)}`);
      },
      onError: (error) => {
        // The API answered (declined, sold out, invalid…): the next attempt is a new checkout. Without
        // an answer (network), the order may exist, so a retry keeps the key and gets that order.
        if (errorCode(error)) idempotencyKey.current = crypto.randomUUID();
        void queryClient.invalidateQueries({ queryKey: trpc.cart.get.queryKey() });
      },
    }),
  );

  useFocusFirstInvalid(form, place.error);

  if (awaiting) return <ConfirmWithBank orderId={awaiting.orderId} action={awaiting.action} />;
  if (cart.isPending) return <Loading what="Loading your cart" />;
  if (cart.isError) return <ErrorState error={cart.error} retry={() => void cart.refetch()} />;
  if (cart.data.lines.length === 0) {
    return (
      <p className="empty">
        Your cart is empty. <Link to="/">Browse the shop</Link>.
      </p>
    );
  }

  const errors = fieldErrors(place.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const optional = (value: string | undefined) => value?.trim() || undefined;
    place.mutate({
      idempotencyKey: idempotencyKey.current,
      paymentToken,
      shippingAddress: {
        ...address,
        line2: optional(address.line2),
        region: optional(address.region),
        country: address.country.trim().toUpperCase(),
      },
    });
  };
  const reason = errorReason(place.error);
  return (
    <div className="two-col">
      <form ref={form} className="card stack" onSubmit={submit} noValidate>
        <fieldset>
          <legend>Shipping address</legend>
          {ADDRESS_FIELDS.map((f) => (
            <Field
              key={f.name}
              label={f.label}
              name={f.name}
              autoComplete={f.autoComplete}
              required={f.required}
              hint={f.hint}
              value={address[f.name] ?? ""}
              onChange={(e) => setAddress({ ...address, [f.name]: e.target.value })}
              error={errors[`shippingAddress.${f.name}`]}
            />
          ))}
        </fieldset>
        <fieldset>
          <legend>Payment</legend>
          <Select
            label="Card"
            name="paymentToken"
            value={paymentToken}
            onChange={(e) => setPaymentToken(e.target.value)}
            error={errors.paymentToken}
          >
            {TEST_CARDS.map(([token, label]) => (
              <option key={token} value={token}>
                {label}
              </option>
            ))}
          </Select>
        </fieldset>
        {place.isError && (
          <Alert>
            <p data-testid="checkout-error">{errorMessage(place.error)}</p>
            {reason && <p className="muted">Reason: {reason.replaceAll("_", " ")}. Your cart is unchanged.</p>}
          </Alert>
        )}
        <button type="submit" disabled={place.isPending}>
          {place.isPending ? "Placing order…" : "Place order"}
        </button>
      </form>
      <aside className="card stack" aria-label="Order summary">
        <h2>Summary</h2>
        <ul className="plain">
          {cart.data.lines.map((line) => (
            <li key={line.variantId}>
              {line.quantity} × {line.name}
              {line.variantLabel && ` (${line.variantLabel})`}
            </li>
          ))}
        </ul>
        <Totals cart={cart.data} />
        <Link to="/cart">Edit cart</Link>
      </aside>
    </div>
  );
}

export const Checkout = () => (
  <Page title="Checkout">
    <SignedIn>
      <CheckoutForm />
    </SignedIn>
  </Page>
);
