// The browser scenarios. Each gets a fresh browser context (no cookies, no storage) on the app
// served by the Worker. Logins and sign-ups stay far below the API's rate limits (login: 30 per
// 5 min per IP, 10 per 15 min per email; sign-up: 10 per 10 min per IP).
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";

export interface Scenario {
  name: string;
  /** Run at a phone's width (390 × 844, touch). */
  phone?: boolean;
  /** Run against the Worker whose provider is Stripe (the Stripe API fake, the fake Stripe.js). */
  stripe?: boolean;
  run(t: {
    page: Page;
    shot: (name: string) => Promise<void>;
    /** An access token's expired twin, signed with the server's key (e2e/server.ts). */
    expire: (accessToken: string) => string;
    /** Runs the Worker's cron as if it fired at this time (ms). */
    cron: (time: number) => Promise<void>;
  }): Promise<void>;
}

const ALICE = { email: "alice@storefront.local", password: "Alice-Storefront-1", name: "Alice Example" };
const BOB = { email: "bob@storefront.local", password: "Bob-Storefront-1", name: "Bob Example" };
const ADMIN = { email: "admin@storefront.local", password: "Admin-Storefront-1", name: "Demo Admin" };
// Oregon: the demo taxes US orders per state (scripts/demo-shipping.ts), and Oregon's rate is 0 %, so
// the cart's total (priced before an address) is what the order charges. The other scenarios use it too.
export const ADDRESS = {
  "Full name": "Erin Tester",
  Address: "1 Test Street",
  City: "Springfield",
  "State or region (optional)": "OR",
  "Postal code": "12345",
};

const heading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();
const signedInAs = (page: Page) => page.getByTestId("signed-in-as");

/** The error text tied to a field through aria-describedby. */
async function fieldError(field: Locator) {
  assert.equal(await field.getAttribute("aria-invalid"), "true", "the field is marked invalid");
  const ids = (await field.getAttribute("aria-describedby"))?.split(" ") ?? [];
  const errorId = ids.find((id) => id.endsWith("-error"));
  assert.ok(errorId, "the field points to its error text");
  return (await field.page().locator(`[id="${errorId}"]`).textContent()) ?? "";
}

async function logIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await heading(page, "Log in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** Opens the first in-stock product of a search and returns its name. */
async function openSearchResult(page: Page, query: string) {
  await page.getByLabel("Search products").fill(query);
  await page.getByRole("button", { name: "Search" }).click();
  await heading(page, `Results for “${query}”`);
  const card = page.getByRole("list", { name: "Products" }).getByRole("listitem").filter({ hasText: "In stock" }).first();
  const link = card.getByRole("link");
  const name = (await link.textContent()) ?? "";
  await link.click();
  await heading(page, name);
  return name;
}

async function addToCart(page: Page) {
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("Added to your cart.").waitFor();
}

async function fillAddress(page: Page) {
  for (const [label, value] of Object.entries(ADDRESS)) await page.getByLabel(label, { exact: true }).fill(value);
}

export const scenarios: Scenario[] = [
  {
    name: "a new visitor signs up, shops, checks out with a discount and cancels the order",
    phone: true,
    async run({ page, shot }) {
      const response = await page.goto("/");
      // The app's own policy (worker/app-pages.ts): with the test provider, nothing of Stripe's.
      const policy = response?.headers()["content-security-policy"] ?? "";
      assert.match(policy, /default-src 'self'/);
      assert.doesNotMatch(policy, /stripe/);
      await heading(page, "All products");
      const products = page.getByRole("list", { name: "Products" }).getByRole("listitem");
      await products.nth(11).waitFor();
      assert.equal(await products.count(), 12);
      await page.getByRole("button", { name: "Load more" }).click();
      await products.nth(23).waitFor();
      assert.equal(await products.count(), 24, "the second keyset page is appended");
      await page.getByRole("navigation", { name: "Categories" }).getByRole("link", { name: "Kitchen" }).click();
      await heading(page, "Kitchen");
      await products.filter({ hasText: "Dutch Oven" }).first().waitFor();
      await shot("catalog");

      // Sign up; the API's per-field issue shows next to the password field.
      await page.getByRole("link", { name: "Sign up" }).click();
      await heading(page, "Create an account");
      const email = `visitor-${Date.now()}@example.com`;
      await page.getByLabel("Name").fill("Erin Tester");
      await page.getByLabel("Email").fill(email);
      const password = page.getByLabel("Password");
      await password.fill("short");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByText("Use at least 10 characters.").waitFor();
      assert.equal(await fieldError(password), "Use at least 10 characters.");
      await page.waitForFunction(() => document.activeElement?.getAttribute("aria-invalid") === "true"); // focus moves to the flagged field
      assert.equal(await password.evaluate((el) => el === document.activeElement), true);
      await shot("signup");
      await password.fill("Erin-Tester-pass-1");
      await page.getByRole("button", { name: "Create account" }).click();
      await signedInAs(page).getByText("Erin Tester").waitFor();

      // Search, open a product, add it and one of its recommendations.
      const first = await openSearchResult(page, "Kettle");
      await page.getByRole("heading", { name: "Reviews" }).waitFor();
      await addToCart(page);
      await shot("product");
      const recs = page.getByRole("region", { name: "Often bought together" }).getByRole("listitem").filter({ hasText: "In stock" });
      const second = (await recs.first().getByRole("link").textContent()) ?? "";
      await recs.first().getByRole("link").click();
      await heading(page, second);
      await addToCart(page);

      // The cart: two lines; an unknown code is refused next to the field, WELCOME10 applies.
      await page.getByRole("link", { name: /^Cart, 2 items/ }).click();
      await heading(page, "Your cart");
      const lines = page.getByRole("list", { name: "Items in your cart" }).getByRole("listitem");
      await lines.nth(1).waitFor();
      assert.equal(await lines.count(), 2);
      for (const name of [first, second]) await lines.filter({ hasText: name }).waitFor();
      const code = page.getByLabel("Discount code");
      await code.fill("NOPE");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("This discount code does not exist.").waitFor();
      assert.equal(await fieldError(code), "This discount code does not exist.");
      await code.fill("WELCOME10");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("Code WELCOME10 applied.").waitFor();
      await page.getByTestId("discount").waitFor();
      const total = (await page.getByTestId("total").textContent()) ?? "";
      await shot("cart");

      // Checkout: a bad country code is flagged on its field, then tok_visa pays.
      await page.getByRole("link", { name: "Check out" }).click();
      await heading(page, "Checkout");
      await fillAddress(page);
      const country = page.getByLabel("Country code");
      await country.fill("USA");
      await page.getByRole("button", { name: "Place order" }).click();
      await page.getByText("Use a two-letter ISO country code.").waitFor();
      assert.equal(await fieldError(country), "Use a two-letter ISO country code.");
      await country.fill("US");
      assert.equal(await page.getByLabel("Card").inputValue(), "tok_visa");
      await shot("checkout");
      await page.getByRole("button", { name: "Place order" }).click();

      // The order is paid, listed with the discount, and can be cancelled.
      await heading(page, "Your orders");
      await page.getByText("Thank you! Your order is placed and paid.").waitFor();
      const order = page.getByTestId("order").first();
      await order.getByText("Paid", { exact: true }).waitFor();
      await order.getByText("Discount WELCOME10").waitFor();
      await order.getByText(`Total ${total}`).waitFor();
      for (const name of [first, second]) await order.getByText(name).waitFor();
      await shot("orders");
      await order.getByRole("button", { name: "Cancel order" }).click();
      await order.getByText("Cancelled", { exact: true }).waitFor();
      assert.equal(await order.getByRole("button", { name: "Cancel order" }).count(), 0);
    },
  },

  {
    name: "a declined card shows the decline reason and leaves the cart intact",
    async run({ page, shot }) {
      await logIn(page, ALICE);
      await signedInAs(page).getByText(ALICE.name).waitFor();
      await page.getByRole("link", { name: "Orders" }).click();
      const orders = page.getByRole("list", { name: "Your orders" }).getByTestId("order");
      await orders.first().waitFor();
      const ordersBefore = await orders.count();
      await page.getByRole("link", { name: "Storefront" }).click();
      const product = await openSearchResult(page, "Lantern");
      await addToCart(page);
      await page.getByRole("link", { name: /^Cart, 1 item/ }).click();
      await page.getByRole("link", { name: "Check out" }).click();
      await heading(page, "Checkout");
      await fillAddress(page);
      await page.getByLabel("Card").selectOption("tok_declined");
      await page.getByRole("button", { name: "Place order" }).click();
      const alert = page.getByRole("alert").filter({ hasText: "Your card was declined." });
      await alert.waitFor();
      await alert.getByText("Reason: payment declined").waitFor();
      await shot("checkout-declined");

      await page.getByRole("link", { name: "Edit cart" }).click();
      await heading(page, "Your cart");
      const lines = page.getByRole("list", { name: "Items in your cart" }).getByRole("listitem");
      await lines.filter({ hasText: product }).waitFor();
      assert.equal(await lines.count(), 1);
      await page.getByRole("link", { name: "Orders" }).click();
      await heading(page, "Your orders");
      await orders.first().waitFor();
      assert.equal(await orders.count(), ordersBefore, "no order was created");
    },
  },

  {
    name: "a card that needs 3-D Secure is confirmed with the bank, then the order is paid",
    async run({ page, shot }) {
      await logIn(page, BOB);
      await signedInAs(page).getByText(BOB.name).waitFor();
      await openSearchResult(page, "Lantern");
      await addToCart(page);
      await page.getByRole("link", { name: /^Cart, 1 item/ }).click();
      await page.getByRole("link", { name: "Check out" }).click();
      await heading(page, "Checkout");
      await fillAddress(page);
      await page.getByLabel("Card").selectOption("tok_threeDSecure2Required");
      await page.getByRole("button", { name: "Place order" }).click();

      // The order waits for the bank: pending, with the confirmation step in the page.
      const step = page.getByRole("region", { name: "Confirm with your bank" });
      await step.waitFor();
      await shot("checkout-3ds");
      // The test provider's bank sends its signed payment_intent.succeeded webhook.
      await Promise.all([
        page.waitForResponse((r) => r.url().includes("/dev/test-payments/confirm") && r.status() === 200),
        step.getByRole("button", { name: "Confirm payment" }).click(),
      ]);
      await heading(page, "Your orders");
      await page.getByText("Thank you! Your order is placed and paid.").waitFor();
      await page.getByTestId("order").first().getByText("Paid", { exact: true }).waitFor();
      await shot("orders-after-3ds");
    },
  },

  {
    name: "a wrong password and an unknown email show the same generic message",
    async run({ page, shot }) {
      await logIn(page, { email: BOB.email, password: "Not-Bobs-password-1" });
      const alert = page.getByRole("alert");
      await alert.waitFor();
      const wrongPassword = await alert.textContent();
      assert.equal(wrongPassword, "Email or password is incorrect.");
      assert.equal(await page.locator("[aria-invalid=true]").count(), 0, "no field is singled out");
      await shot("login-failed");
      await page.getByLabel("Email").fill("nobody@example.com");
      await Promise.all([
        page.waitForResponse((r) => r.url().includes("/trpc/auth.login")),
        page.getByRole("button", { name: "Log in" }).click(),
      ]);
      await alert.waitFor();
      assert.equal(await alert.textContent(), wrongPassword);
      assert.equal(await signedInAs(page).count(), 0);
    },
  },

  {
    name: "a customer cannot open the admin page",
    async run({ page }) {
      await logIn(page, BOB);
      await signedInAs(page).getByText(BOB.name).waitFor();
      assert.equal(await page.getByRole("link", { name: "Admin" }).count(), 0, "no admin link for a customer");
      await page.goto("/admin");
      await heading(page, "Admin");
      await page.getByText("Only administrators can open this page.").waitFor();
      assert.equal(await page.getByRole("button", { name: "Mark shipped" }).count(), 0);
    },
  },

  {
    name: "the session survives a reload and ends on logout",
    async run({ page, shot }) {
      await logIn(page, ALICE);
      await signedInAs(page).getByText(ALICE.name).waitFor();
      await page.reload();
      await signedInAs(page).getByText(ALICE.name).waitFor();
      await page.getByRole("link", { name: "Orders" }).click();
      await heading(page, "Your orders");
      await page.getByRole("list", { name: "Your orders" }).or(page.getByText("You have no orders yet.")).waitFor();
      await page.reload();
      await heading(page, "Your orders");
      await page.getByRole("list", { name: "Your orders" }).or(page.getByText("You have no orders yet.")).waitFor();

      await page.getByRole("button", { name: "Log out" }).click();
      await page.getByRole("link", { name: "Log in" }).waitFor();
      const cookies = await page.context().cookies();
      assert.equal(
        cookies.find((c) => c.name === "sf_refresh" && c.value),
        undefined,
        "the refresh cookie is gone",
      );
      await page.goto("/orders");
      await heading(page, "Your orders");
      await page.getByText("to continue.").waitFor();
      assert.equal(await signedInAs(page).count(), 0);
      await shot("orders-signed-out");
    },
  },

  {
    name: "an admin ships an order and edits stock",
    async run({ page, shot }) {
      await logIn(page, ADMIN);
      await page.getByRole("link", { name: "Admin" }).click();
      await heading(page, "Dashboard");
      await page.getByRole("navigation", { name: "Back office" }).getByRole("link", { name: "Orders" }).click();
      await heading(page, "Orders");
      await page.getByLabel("Status").selectOption("paid");
      const paid = page.getByRole("list", { name: "Orders" }).getByTestId("order");
      await paid.first().waitFor();
      const id = await paid.first().getAttribute("data-order-id");
      await paid.first().getByRole("button", { name: "Mark shipped" }).click();
      await page.locator(`[data-order-id="${id}"]`).waitFor({ state: "detached" });
      await page.getByLabel("Status").selectOption("shipped");
      await page.locator(`[data-order-id="${id}"]`).getByText("Shipped", { exact: true }).waitFor();

      await page.getByRole("navigation", { name: "Back office" }).getByRole("link", { name: "Products" }).click();
      await heading(page, "Products");
      await page.getByLabel("Find a product").fill("Tent");
      await page.getByRole("button", { name: "Find" }).click();
      const found = page
        .getByRole("table", { name: "Products" })
        .getByRole("row")
        .filter({ hasText: "On sale" })
        .filter({ hasNot: page.getByRole("cell", { name: "0", exact: true }) })
        .first()
        .getByRole("link");
      const name = (await found.textContent()) ?? "";
      await found.click();
      await heading(page, `Edit ${name}`);
      const stock = page.getByLabel(`Stock of ${name}`);
      await stock.fill("0");
      await page.getByRole("button", { name: "Save stock" }).click();
      await page.getByText("Stock saved: 0.").waitFor();
      await shot("admin");

      await page.getByRole("link", { name: "Storefront" }).click();
      await openSearchResultByName(page, name);
      await page.getByText("Out of stock").first().waitFor();
      assert.ok(await page.getByRole("button", { name: "Add to cart" }).isDisabled());
    },
  },
];

async function openSearchResultByName(page: Page, name: string) {
  await page.getByLabel("Search products").fill(name);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("list", { name: "Products" }).getByRole("link", { name, exact: true }).first().click();
  await heading(page, name);
}
