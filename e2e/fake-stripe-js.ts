// A fake of the Stripe.js methods the checkout page uses, written from Stripe.js's reference
// (docs.stripe.com/js): `Stripe(publishableKey)`, `stripe.elements({ mode, amount, currency })`,
// `elements.create("payment")` with mount / on / off / update / destroy, `elements.submit()`,
// `stripe.createConfirmationToken({ elements })` and `stripe.handleNextAction({ clientSecret })`,
// plus the methods @stripe/react-stripe-js checks for before it accepts a Stripe object.
//
// The browser tests serve it at Stripe.js's URL (page.route, e2e/stripe.ts), as the page's own
// script from js.stripe.com under the page's real Content-Security-Policy. Where the real one
// differs: the card is typed into plain inputs in the page (Stripe's are in its iframe); the
// ConfirmationToken comes from the Stripe API fake through the page's call to api.stripe.com
// (routed too; the real call is made from Stripe's iframe); the 3-D Secure challenge is a dialog
// with the "Complete" button of Stripe's test challenge page, which tells the fake the customer
// authenticated.
//
// `fakeStripeJs` runs in the browser, so it uses nothing from this module: it is served as its
// own source text (Node has already stripped its types).

interface StripeError {
  type: string;
  code?: string;
  message: string;
}

export function fakeStripeJs() {
  const cardFields = [
    ["number", "Card number", "cc-number", "1234 1234 1234 1234"],
    ["expiry", "Expiration date", "cc-exp", "MM / YY"],
    ["cvc", "Security code", "cc-csc", "CVC"],
  ] as const;

  function Stripe(publishableKey: string) {
    const inputs = new Map<string, HTMLInputElement>();
    const value = (name: string) => inputs.get(name)?.value.replace(/\s/g, "") ?? "";

    function elements() {
      const listeners = new Map<string, Set<(event: unknown) => void>>();
      const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((handler) => handler(payload));
      let host: HTMLElement | null = null;
      const paymentElement = {
        mount(target: string | HTMLElement) {
          host = typeof target === "string" ? document.querySelector<HTMLElement>(target) : target;
          if (!host) throw new Error("IntegrationError: the element's container was not found");
          const group = document.createElement("div");
          group.className = "stack";
          group.dataset.testid = "payment-element";
          for (const [name, label, autocomplete, placeholder] of cardFields) {
            const field = document.createElement("div");
            field.className = "field";
            const id = `fake-stripe-${name}`;
            const labelNode = document.createElement("label");
            labelNode.htmlFor = id;
            labelNode.textContent = label;
            const input = document.createElement("input");
            input.id = id;
            input.name = name;
            input.autocomplete = autocomplete;
            input.inputMode = "numeric";
            input.placeholder = placeholder;
            input.addEventListener("input", () =>
              emit("change", {
                elementType: "payment",
                empty: value("number") === "",
                complete: value("number").length >= 15,
                value: { type: "card" },
              }),
            );
            inputs.set(name, input);
            field.append(labelNode, input);
            group.append(field);
          }
          host.replaceChildren(group);
          setTimeout(() => emit("ready", { elementType: "payment" }), 0);
        },
        on(event: string, handler: (event: unknown) => void) {
          const set = listeners.get(event) ?? new Set();
          set.add(handler);
          listeners.set(event, set);
          return paymentElement;
        },
        off(event: string, handler: (event: unknown) => void) {
          listeners.get(event)?.delete(handler);
          return paymentElement;
        },
        update() {},
        focus() {
          inputs.get("number")?.focus();
        },
        blur() {},
        clear() {
          inputs.forEach((input) => (input.value = ""));
        },
        collapse() {},
        unmount() {
          host?.replaceChildren();
        },
        destroy() {
          host?.replaceChildren();
          inputs.clear();
        },
      };
      return {
        create(type: string) {
          if (type !== "payment") throw new Error(`This fake of Stripe.js has only the Payment Element, not "${type}".`);
          return paymentElement;
        },
        getElement: (type: string) => (type === "payment" ? paymentElement : null),
        update() {},
        fetchUpdates: () => Promise.resolve({}),
        // As Stripe.js: validation errors for what the customer typed, before any token exists.
        submit(): Promise<{ error?: StripeError }> {
          const number = value("number");
          if (number === "")
            return Promise.resolve({
              error: { type: "validation_error", code: "incomplete_number", message: "Your card number is incomplete." },
            });
          if (!/^\d{2}\/?\d{2}$/.test(value("expiry")))
            return Promise.resolve({
              error: { type: "validation_error", code: "incomplete_expiry", message: "Your card's expiration date is incomplete." },
            });
          if (!/^\d{3,4}$/.test(value("cvc")))
            return Promise.resolve({
              error: { type: "validation_error", code: "incomplete_cvc", message: "Your card's security code is incomplete." },
            });
          return Promise.resolve({});
        },
      };
    }

    async function createConfirmationToken(): Promise<{ confirmationToken?: unknown; error?: StripeError }> {
      // Stripe.js sends its publishable key as `key` in a form body (a request without preflight).
      const body = new URLSearchParams({
        key: publishableKey,
        "payment_method_data[type]": "card",
        "payment_method_data[card][number]": value("number"),
        "payment_method_data[card][cvc]": value("cvc"),
      });
      const response = await fetch("https://api.stripe.com/v1/confirmation_tokens", { method: "POST", body });
      const json: unknown = await response.json();
      if (response.ok) return { confirmationToken: json };
      const error: unknown = typeof json === "object" && json !== null ? Reflect.get(json, "error") : undefined;
      const message: unknown = typeof error === "object" && error !== null ? Reflect.get(error, "message") : undefined;
      return { error: { type: "card_error", message: typeof message === "string" ? message : "Your card was declined." } };
    }

    // Stripe's test challenge: the customer completes it (or closes the page, which the tests do
    // to abandon it). Completing tells the API fake, which settles the intent and sends the webhook.
    function handleNextAction({ clientSecret }: { clientSecret: string }): Promise<{ paymentIntent?: unknown; error?: StripeError }> {
      const intentId = clientSecret.split("_secret_")[0] ?? "";
      return new Promise((resolve) => {
        const dialog = document.createElement("dialog");
        dialog.setAttribute("aria-labelledby", "fake-stripe-3ds-title");
        const title = document.createElement("h2");
        title.id = "fake-stripe-3ds-title";
        title.textContent = "3D Secure 2 Test Page";
        const text = document.createElement("p");
        text.textContent = "Complete this test authentication to confirm the payment.";
        const complete = document.createElement("button");
        complete.type = "button";
        complete.textContent = "Complete";
        complete.addEventListener("click", () => {
          complete.disabled = true;
          void fetch(`https://api.stripe.com/__fake/payment_intents/${intentId}/authenticate`, { method: "POST" }).then(
            async (response) => {
              const intent: unknown = await response.json();
              dialog.close();
              dialog.remove();
              resolve(
                response.ok
                  ? { paymentIntent: intent }
                  : { error: { type: "invalid_request_error", message: "This payment can no longer be confirmed." } },
              );
            },
          );
        });
        dialog.append(title, text, complete);
        document.body.append(dialog);
        dialog.showModal();
      });
    }

    const notUsed = (name: string) => () => Promise.reject(new Error(`This fake of Stripe.js does not implement ${name}.`));
    return {
      elements,
      createConfirmationToken,
      handleNextAction,
      // @stripe/react-stripe-js accepts an object as Stripe only if these are functions.
      createToken: notUsed("createToken"),
      createPaymentMethod: notUsed("createPaymentMethod"),
      confirmCardPayment: notUsed("confirmCardPayment"),
    };
  }

  Reflect.set(window, "Stripe", Stripe);
}

/** The script served at Stripe.js's URL. */
export const FAKE_STRIPE_JS = `(${fakeStripeJs.toString()})();`;
