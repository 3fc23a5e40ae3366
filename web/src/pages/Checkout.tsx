// Checkout: shipping address, the card (Stripe's Payment Element, or the test provider's made-up
// tokens), one idempotent placeOrder call, and the bank's confirmation step when the payment
// needs 3-D Secure.
import type { RouterInputs, RouterOutputs } from "@storefront/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useRef, useState, type FormEvent, type ReactNode } from "react";
import { errorCode, errorMessage, errorReason, fieldErrors, trpc } from "../api";
import { Link, navigate } from "../router";
import { Alert, ErrorState, Field, useFocusFirstInvalid, Loading, Page, Select, SignedIn } from "../ui";
import { Totals } from "./Cart";
import { ShippingOptions } from "./checkout/ShippingOptions";

type Address = RouterInputs["checkout"]["placeOrder"]["shippingAddress"];
export type Cart = RouterOutputs["cart"]["get"];
export type NextAction = NonNullable<RouterOutputs["checkout"]["placeOrder"]["nextAction"]>;

// Stripe's part (Stripe.js, the Payment Element) is its own chunk: a shop on the test provider
// never downloads it, and Stripe.js itself is only requested when it renders.
const StripeCheckout = lazy(() => import("./StripeCheckout"));

/** A card error the customer can act on (an incomplete number, a token Stripe.js refused). */
export class CardError extends Error {}

/** How the form gets its payment token and finishes a payment that needs the customer. */
export interface PaymentMethod {
  /** The card fields, inside the form's "Payment" fieldset. */
  fields: ReactNode;
  /** The token placeOrder sends; throws CardError with a message to show beside the form. */
  token: () => Promise<string>;
  /** What the page shows once the order waits for the customer's bank. */
  confirm: (orderId: string, action: NextAction) => ReactNode;
}

const TEST_CARDS = [
  ["tok_visa", "Test card that succeeds (tok_visa)"],
  ["tok_declined", "Test card that is declined (tok_declined)"],
  ["tok_error", "Test card whose provider is down (tok_error)"],
  ["tok_threeDSecure2Required", "Test card that needs 3-D Secure (tok_threeDSecure2Required)"],
] as const;

/**
 * The test provider's bank step for a payment that needs the customer (3-D Secure): its dev-only
 * confirm endpoint, which sends the signed webhook that settles the pending order. With Stripe,
 * Stripe.js runs the real step (StripeCheckout).
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
  {
    name: "region",
    label: "State or region (optional)",
    autoComplete: "address-level1",
    required: false,
    hint: "Two letters; a US address needs its state, e.g. CA.",
  },
  { name: "postalCode", label: "Postal code", autoComplete: "postal-code", required: true },
  { name: "country", label: "Country code", autoComplete: "country", required: true, hint: "Two letters, e.g. US, DE, FR." },
];

/** The test provider's made-up cards, as a select: development and tests only. */
function TestCardCheckout({ cart }: { cart: Cart }) {
  const [paymentToken, setPaymentToken] = useState<string>("tok_visa");
  const method: PaymentMethod = {
    fields: (
      <Select label="Card" name="paymentToken" value={paymentToken} onChange={(e) => setPaymentToken(e.target.value)}>
        {TEST_CARDS.map(([token, label]) => (
          <option key={token} value={token}>
            {label}
          </option>
        ))}
      </Select>
    ),
    token: () => Promise.resolve(paymentToken),
    confirm: (orderId, action) => <ConfirmWithBank orderId={orderId} action={action} />,
  };
  return <CheckoutForm cart={cart} method={method} />;
}

export function CheckoutForm({ cart, method }: { cart: Cart; method: PaymentMethod }) {
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [address, setAddress] = useState<Address>({ name: "", line1: "", line2: "", city: "", region: "", postalCode: "", country: "US" });
  const [shippingOptionId, setShippingOptionId] = useState<string | undefined>(undefined);
  const country = address.country.trim().toUpperCase();
  const region = address.region?.trim() || undefined;
  // The summary priced for the address: its shipping option and tax (the plain cart until the country is known).
  const destined = useQuery({
    ...trpc.cart.get.queryOptions({ country, region, shippingOptionId }),
    enabled: /^[A-Z]{2}$/.test(country),
  });
  // One key per attempt: a retry after a network failure reuses it, so it can never charge twice.
  const idempotencyKey = useRef(crypto.randomUUID());
  const [awaiting, setAwaiting] = useState<{ orderId: string; action: NextAction } | null>(null);
  const [cardError, setCardError] = useState<string | null>(null);
  const [tokenising, setTokenising] = useState(false);
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

  if (awaiting) return method.confirm(awaiting.orderId, awaiting.action);

  const errors = fieldErrors(place.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const optional = (value: string | undefined) => value?.trim() || undefined;
    setCardError(null);
    place.reset();
    setTokenising(true);
    let paymentToken: string;
    try {
      paymentToken = await method.token();
    } catch (error) {
      if (!(error instanceof CardError)) throw error;
      setCardError(error.message);
      return;
    } finally {
      setTokenising(false);
    }
    place.mutate({
      idempotencyKey: idempotencyKey.current,
      paymentToken,
      shippingAddress: {
        ...address,
        line2: optional(address.line2),
        region: optional(address.region),
        country,
      },
      shippingOptionId: destined.data?.shippingOptionId ?? shippingOptionId,
    });
  };
  const reason = errorReason(place.error);
  return (
    <div className="two-col">
      <form ref={form} className="card stack" onSubmit={(event) => void submit(event)} noValidate>
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
          <legend>Shipping</legend>
          <ShippingOptions
            country={country}
            region={region}
            currency={cart.currency}
            value={shippingOptionId}
            onChange={setShippingOptionId}
          />
        </fieldset>
        <fieldset>
          <legend>Payment</legend>
          {method.fields}
          {errors.paymentToken && <p className="field-error">{errors.paymentToken}</p>}
        </fieldset>
        {cardError && (
          <Alert>
            <p data-testid="checkout-error">{cardError}</p>
          </Alert>
        )}
        {place.isError && (
          <Alert>
            <p data-testid="checkout-error">{errorMessage(place.error)}</p>
            {reason && <p className="muted">Reason: {reason.replaceAll("_", " ")}. Your cart is unchanged.</p>}
          </Alert>
        )}
        <button type="submit" disabled={place.isPending || tokenising}>
          {place.isPending || tokenising ? "Placing order…" : "Place order"}
        </button>
      </form>
      <aside className="card stack" aria-label="Order summary">
        <h2>Summary</h2>
        <ul className="plain">
          {cart.lines.map((line) => (
            <li key={line.variantId}>
              {line.quantity} × {line.name}
              {line.variantLabel && ` (${line.variantLabel})`}
            </li>
          ))}
        </ul>
        <Totals cart={destined.data ?? cart} />
        <Link to="/cart">Edit cart</Link>
      </aside>
    </div>
  );
}

/** The cart and how this shop takes cards, then the form for that provider. */
function CheckoutPage() {
  const cart = useQuery(trpc.cart.get.queryOptions());
  const setup = useQuery(trpc.checkout.paymentSetup.queryOptions(undefined, { staleTime: Infinity }));
  if (cart.isPending || setup.isPending) return <Loading what="Loading your cart" />;
  if (cart.isError) return <ErrorState error={cart.error} retry={() => void cart.refetch()} />;
  if (setup.isError) return <ErrorState error={setup.error} retry={() => void setup.refetch()} />;
  if (cart.data.lines.length === 0) {
    return (
      <p className="empty">
        Your cart is empty. <Link to="/">Browse the shop</Link>.
      </p>
    );
  }
  switch (setup.data.provider) {
    case "stripe":
      return (
        <Suspense fallback={<Loading what="Loading the payment form" />}>
          <StripeCheckout cart={cart.data} publishableKey={setup.data.publishableKey} />
        </Suspense>
      );
    case "test":
      return <TestCardCheckout cart={cart.data} />;
    case "unconfigured":
      return (
        <Alert>
          <p>This shop cannot take payments right now. Your cart is kept; please try again later.</p>
        </Alert>
      );
  }
}

export const Checkout = () => (
  <Page title="Checkout">
    <SignedIn>
      <CheckoutPage />
    </SignedIn>
  </Page>
);
