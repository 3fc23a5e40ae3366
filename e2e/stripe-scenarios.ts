// Checkout with Stripe's Payment Element, offline: the Worker's provider is Stripe, its SDK talks
// to the Stripe API fake, and the page's Stripe.js is the fake of e2e/fake-stripe-js.ts (both
// routed by e2e/stripe.ts). The cards are Stripe's documented test numbers.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { accessible, heading, logIn } from "./admin-scenarios.ts";
import { ADDRESS, type Scenario } from "./scenarios.ts";

const ALICE = { email: "alice@storefront.local", password: "Alice-Storefront-1", name: "Alice Example" };
const BOB = { email: "bob@storefront.local", password: "Bob-Storefront-1", name: "Bob Example" };

const CARDS = { visa: "4242 4242 4242 4242", declined: "4000 0000 0000 0002", threeDSecure: "4000 0027 6000 3184" };

/** Puts one in-stock product in the cart and opens the checkout, its Payment Element mounted. */
async function checkoutWithOneItem(page: Page) {
  await page.getByLabel("Search products").fill("Lantern");
  await page.getByRole("button", { name: "Search" }).click();
  await heading(page, "Results for “Lantern”");
  const card = page.getByRole("list", { name: "Products" }).getByRole("listitem").filter({ hasText: "In stock" }).first();
  await card.getByRole("link").click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("Added to your cart.").waitFor();
  await page.getByRole("link", { name: /^Cart, 1 item/ }).click();
  await page.getByRole("link", { name: "Check out" }).click();
  await heading(page, "Checkout");
  for (const [label, value] of Object.entries(ADDRESS)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByTestId("payment-element").waitFor();
}

async function enterCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration date").fill("12 / 34");
  await page.getByLabel("Security code").fill("123");
}

/** The ids of the orders on the customer's list (who has at least one), newest first. */
async function orderIds(page: Page) {
  await page.goto("/orders");
  await heading(page, "Your orders");
  await page.getByTestId("order").first().waitFor();
  return page.getByTestId("order").evaluateAll((items) => items.map((item) => item.getAttribute("data-order-id")));
}

async function placeOrder(page: Page) {
  await Promise.all([
    page.waitForResponse((r) => r.url().includes("/trpc/checkout.placeOrder")),
    page.getByRole("button", { name: "Place order" }).click(),
  ]);
}

export const stripeScenarios: Scenario[] = [
  {
    name: "Stripe: the Payment Element pays, and the page allows exactly Stripe's sources",
    stripe: true,
    async run({ page, shot }) {
      const response = await page.goto("/");
      const policy = response?.headers()["content-security-policy"] ?? "";
      assert.match(policy, /script-src 'self' https:\/\/js\.stripe\.com https:\/\/\*\.js\.stripe\.com/);
      assert.match(policy, /frame-src https:\/\/js\.stripe\.com https:\/\/\*\.js\.stripe\.com https:\/\/hooks\.stripe\.com/);
      assert.match(policy, /connect-src 'self' https:\/\/api\.stripe\.com/);
      assert.equal(await page.locator("footer").textContent(), "Storefront", "no 'test payments only' with Stripe");
      await logIn(page, ALICE);
      await checkoutWithOneItem(page);
      // Stripe.js came from Stripe's URL, as the page's own script (the CSP allowed it).
      assert.equal(await page.evaluate(() => typeof Reflect.get(window, "Stripe")), "function");
      assert.ok(await page.locator('script[src^="https://js.stripe.com/"]').count(), "Stripe.js is loaded from js.stripe.com");
      await accessible(page, "checkout with the Payment Element");
      await enterCard(page, CARDS.visa);
      await shot("stripe-checkout");
      await placeOrder(page);
      await heading(page, "Your orders");
      await page.getByText("Thank you! Your order is placed and paid.").waitFor();
      await page.getByTestId("order").first().getByTestId("order-status").getByText("Paid").waitFor();
    },
  },

  {
    name: "Stripe: a declined card shows Stripe's message beside the form, then another card pays",
    stripe: true,
    async run({ page, shot }) {
      await logIn(page, BOB);
      const before = await orderIds(page);
      await page.getByRole("link", { name: "Storefront" }).first().click();
      await checkoutWithOneItem(page);
      await enterCard(page, CARDS.declined);
      await placeOrder(page);
      const alert = page.getByRole("alert").filter({ hasText: "Your card was declined." });
      await alert.waitFor();
      await alert.getByText("Reason: payment declined").waitFor();
      await accessible(page, "checkout after a decline");
      await shot("stripe-declined");
      // The cart is kept: the summary still lists the item, and the same form takes another card.
      await page
        .getByRole("complementary", { name: "Order summary" })
        .getByText(/1 × .*Lantern/)
        .waitFor();
      await enterCard(page, CARDS.visa);
      await placeOrder(page);
      await page.getByText("Thank you! Your order is placed and paid.").waitFor();
      const after = await orderIds(page);
      assert.equal(after.length, before.length + 1, "one order: the declined attempt left none");
    },
  },

  {
    name: "Stripe: 3-D Secure is completed in Stripe.js, and the page follows the order until it is paid",
    stripe: true,
    async run({ page, shot }) {
      await logIn(page, ALICE);
      await checkoutWithOneItem(page);
      await enterCard(page, CARDS.threeDSecure);
      await placeOrder(page);
      const challenge = page.getByRole("dialog", { name: "3D Secure 2 Test Page" });
      await challenge.waitFor();
      await page.getByRole("region", { name: "Confirm with your bank" }).waitFor();
      await shot("stripe-3ds-challenge");
      // Completing sends Stripe's signed payment_intent.succeeded to the Worker; the page learns
      // of it through the order's live subscription, not by asking again.
      await challenge.getByRole("button", { name: "Complete" }).click();
      await heading(page, "Your orders");
      await page.getByText("Thank you! Your order is placed and paid.").waitFor();
      await page.getByTestId("order").first().getByTestId("order-status").getByText("Paid").waitFor();
    },
  },

  {
    name: "Stripe: 3-D Secure abandoned: the order waits, then the cron cancels the payment and releases it",
    stripe: true,
    async run({ page, shot, cron }) {
      await logIn(page, BOB);
      await checkoutWithOneItem(page);
      await enterCard(page, CARDS.threeDSecure);
      await placeOrder(page);
      await page.getByRole("dialog", { name: "3D Secure 2 Test Page" }).waitFor();
      // The customer leaves during the bank's step.
      const [id] = await orderIds(page);
      assert.ok(id);
      const order = page.locator(`[data-order-id="${id}"]`);
      await order.getByTestId("order-status").getByText("Pending payment").waitFor();
      // Past the grace a customer may still be at their bank: the order keeps waiting.
      await cron(Date.now() + 20 * 60_000);
      await page.reload();
      await order.getByTestId("order-status").getByText("Pending payment").waitFor();
      // An hour on it was abandoned: the cron cancels the PaymentIntent and releases the order.
      await cron(Date.now() + 61 * 60_000);
      await page.reload();
      await order.getByTestId("order-status").getByText("Cancelled").waitFor();
      await shot("stripe-3ds-abandoned");
    },
  },
];
