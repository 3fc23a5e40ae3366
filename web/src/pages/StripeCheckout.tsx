// Checkout with Stripe: the Payment Element collects the card in Stripe's frames, Stripe.js turns
// it into a ConfirmationToken the Worker confirms, and runs 3-D Secure when the bank asks for it.
import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { trpc } from "../api";
import { LiveOrder } from "../live";
import { navigate } from "../router";
import { Alert, Loading } from "../ui";
import { CardError, CheckoutForm, type Cart, type NextAction, type PaymentMethod } from "./Checkout";

// Stripe.js is loaded from Stripe's own URL (as Stripe requires), once per page and key. The
// `pure` entry loads it only here, so no other page of the app requests it.
const loaded = new Map<string, Promise<Stripe | null>>();
function stripeFor(publishableKey: string) {
  let promise = loaded.get(publishableKey);
  if (!promise) {
    promise = loadStripe(publishableKey);
    loaded.set(publishableKey, promise);
  }
  return promise;
}

/**
 * The bank's step, then the order as it settles: Stripe.js shows the 3-D Secure challenge; once
 * it is done, the order stays pending until Stripe's webhook settles it, which this page follows
 * live (the order's subscription) and then shows the order.
 */
function StripeNextAction({ orderId, action }: { orderId: string; action: NextAction }) {
  const stripe = useStripe();
  const started = useRef(false);
  const [state, setState] = useState<{ step: "bank" } | { step: "settling" } | { step: "failed"; message: string }>({ step: "bank" });
  const order = useQuery({ ...trpc.orders.get.queryOptions({ id: orderId }), enabled: state.step === "settling" });

  useEffect(() => {
    if (!stripe || started.current) return;
    started.current = true;
    void stripe.handleNextAction({ clientSecret: action.clientSecret }).then(({ error }) => {
      setState(error ? { step: "failed", message: error.message ?? "Your bank did not confirm this payment." } : { step: "settling" });
    });
  }, [stripe, action.clientSecret]);

  const status = order.data?.status;
  useEffect(() => {
    if (status && status !== "pending") navigate(`/orders?placed=${encodeURIComponent(orderId)}`);
  }, [status, orderId]);

  if (state.step === "failed") {
    return (
      <Alert>
        <p data-testid="checkout-error">{state.message}</p>
        <p className="muted">Nothing was charged. Your order is released once the bank reports back; place it again with another card.</p>
      </Alert>
    );
  }
  return (
    <section className="card stack" aria-labelledby="confirm-with-bank">
      <h2 id="confirm-with-bank">Confirm with your bank</h2>
      {state.step === "bank" ? (
        <p>Your bank asks you to confirm this payment (3-D Secure). Your order is reserved until you do.</p>
      ) : (
        <>
          <Loading what="Your bank confirmed the payment. Waiting for the payment to settle" />
          <LiveOrder id={orderId} />
        </>
      )}
    </section>
  );
}

/** The form with the Payment Element; inside <Elements>, so Stripe.js's hooks reach it. */
function PaymentElementForm({ cart }: { cart: Cart }) {
  const stripe = useStripe();
  const elements = useElements();
  const method: PaymentMethod = {
    fields: <PaymentElement />,
    token: async () => {
      if (!stripe || !elements) throw new CardError("The payment form is still loading. Try again in a moment.");
      // Stripe.js validates the fields first; its message is about what the customer typed.
      const submitted = await elements.submit();
      if (submitted.error) throw new CardError(submitted.error.message ?? "Check your card details.");
      const { error, confirmationToken } = await stripe.createConfirmationToken({ elements });
      if (error) throw new CardError(error.message ?? "Check your card details.");
      return confirmationToken.id;
    },
    confirm: (orderId, action) => <StripeNextAction orderId={orderId} action={action} />,
  };
  return <CheckoutForm cart={cart} method={method} />;
}

export default function StripeCheckout({ cart, publishableKey }: { cart: Cart; publishableKey: string }) {
  // Deferred-intent mode: the element is shown before any PaymentIntent exists; the Worker
  // creates and confirms it with the token, for the amount it prices itself (this one is only
  // what the element displays). Cards only, so confirming never needs a redirect.
  return (
    <Elements
      stripe={stripeFor(publishableKey)}
      options={{ mode: "payment", amount: cart.totalCents, currency: cart.currency.toLowerCase(), allowedPaymentMethodTypes: ["card"] }}
    >
      <PaymentElementForm cart={cart} />
    </Elements>
  );
}
