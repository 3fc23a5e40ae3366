// Browser scenarios of the back office: products with images bought by a customer,
// a discount used until it runs out, a paid order cancelled with its refund state, the
// dashboard's figures against the scenario's own orders, a customer's order page and the admin's
// order list following changes live. Every admin screen is checked with
// axe-core and leaves a screenshot in test-results/e2e/pages/.
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { bytesOf, GRADIENT_JPEG } from "../test/fixtures/images.ts";
import { ADDRESS as STOREFRONT_ADDRESS, type Scenario } from "./scenarios.ts";

const ALICE = { email: "alice@storefront.local", password: "Alice-Storefront-1", name: "Alice Example" };
const BOB = { email: "bob@storefront.local", password: "Bob-Storefront-1", name: "Bob Example" };
export const ADMIN = { email: "admin@storefront.local", password: "Admin-Storefront-1", name: "Demo Admin" };
// The storefront scenarios' address, with the country spelled out (the admin's checkout types it).
const ADDRESS = { ...STOREFRONT_ADDRESS, "Country code": "US" };

export const heading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();

export async function logIn(page: Page, user: { email: string; password: string; name: string }) {
  await page.goto("/login");
  await heading(page, "Log in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByTestId("signed-in-as").getByText(user.name).waitFor();
}

/** No axe-core violation on the page as it is now (WCAG 2.x A and AA rules and best practices). */
export async function accessible(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(found, [], `axe-core on ${screen}`);
}

async function adminScreen(page: Page, link: string, title: string) {
  await page.getByRole("navigation", { name: "Back office" }).getByRole("link", { name: link, exact: true }).click();
  await heading(page, title);
}

/** A second browser session (a customer next to the admin), on the same app. */
async function otherSession(page: Page) {
  const browser: Browser | null = page.context().browser();
  assert.ok(browser);
  const context = await browser.newContext({ baseURL: new URL(page.url()).origin });
  return { page: await context.newPage(), close: () => context.close() };
}

const cents = (text: string) => Math.round(Number(text.replace(/[^0-9.-]/g, "")) * 100);

async function checkout(page: Page) {
  await page.getByRole("link", { name: /^Cart, / }).click();
  await heading(page, "Your cart");
  await page.getByRole("link", { name: "Check out" }).click();
  await heading(page, "Checkout");
  for (const [label, value] of Object.entries(ADDRESS)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Place order" }).click();
  await page.getByText("Thank you! Your order is placed and paid.").waitFor();
  const order = page.getByTestId("order").first();
  const total = (await order.getByText(/^Total /).textContent()) ?? "";
  return { order, id: (await order.getAttribute("data-order-id")) ?? "", totalCents: cents(total) };
}

async function buyFirstInStock(page: Page, query: string, code?: string) {
  await page.goto("/");
  await page.getByLabel("Search products").fill(query);
  await page.getByRole("button", { name: "Search" }).click();
  const card = page.getByRole("list", { name: "Products" }).getByRole("listitem").filter({ hasText: "In stock" }).first();
  await card.getByRole("link").click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("Added to your cart.").waitFor();
  if (code) {
    await page.getByRole("link", { name: /^Cart, / }).click();
    await page.getByLabel("Discount code").fill(code);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText(`Code ${code} applied.`).waitFor();
  }
  return checkout(page);
}

export const adminScenarios: Scenario[] = [
  {
    name: "an admin creates a product with an image, a non-image is refused, and a customer finds it and buys it",
    async run({ page, shot }) {
      await logIn(page, ADMIN);
      await page.getByRole("link", { name: "Admin" }).click();
      await heading(page, "Dashboard");
      await adminScreen(page, "Products", "Products");
      await page.getByRole("table", { name: "Products" }).waitFor();
      await accessible(page, "products");
      await shot("admin-products");
      await page.getByRole("link", { name: "New product" }).click();
      await heading(page, "New product");

      // The API's validation errors appear beside the fields they concern.
      const name = `Copper Moka Pot ${Date.now().toString(36)}`;
      await page.getByLabel("Name").fill(name);
      await page.getByLabel("Slug").fill("Not A Slug!");
      await page.getByLabel("Price (USD)").fill("abc");
      await page.getByRole("button", { name: "Create product" }).click();
      await page.getByText("Use lower-case letters, digits and single hyphens.").waitFor();
      assert.equal(await page.getByLabel("Slug").getAttribute("aria-invalid"), "true");
      assert.equal(await page.getByLabel("Price (USD)").getAttribute("aria-invalid"), "true");
      await accessible(page, "new product with errors");
      await shot("admin-product-new");

      await page.getByLabel("Slug").fill(name.toLowerCase().replace(/ /g, "-"));
      await page.getByLabel("Description").fill("A stovetop coffee maker in copper.");
      await page.getByLabel("Category").selectOption({ label: "Kitchen" });
      await page.getByLabel("Price (USD)").fill("39.50");
      await page.getByLabel("Stock", { exact: true }).fill("5");
      await page.getByRole("button", { name: "Create product" }).click();
      await heading(page, `Edit ${name}`);
      await page.getByText("No images yet").waitFor();

      // A text file named .jpg and declared image/jpeg is refused by its content.
      await page
        .getByLabel("Image file")
        .setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: Buffer.from("I am not a picture.") });
      await page.getByRole("button", { name: "Upload image" }).click();
      await page.getByText("This file is not a JPEG, PNG or WebP image.").waitFor();
      assert.equal(await page.getByLabel("Image file").getAttribute("aria-invalid"), "true");
      await shot("admin-product-refused-image");

      await page
        .getByLabel("Image file")
        .setInputFiles({ name: "moka.jpg", mimeType: "image/jpeg", buffer: Buffer.from(bytesOf(GRADIENT_JPEG)) });
      await page.getByLabel("Description of the image").fill("A copper moka pot");
      await page.getByRole("button", { name: "Upload image" }).click();
      await page.getByText("Image uploaded.").waitFor();
      await page.getByRole("list", { name: "Product images" }).getByRole("img", { name: "A copper moka pot" }).waitFor();
      await accessible(page, "product editor");
      await shot("admin-product-edit");

      // A customer finds it by search, sees its image (sized before it loads) and buys it.
      await page.getByRole("button", { name: "Log out" }).click();
      await logIn(page, BOB);
      await page.getByLabel("Search products").fill("Copper Moka");
      await page.getByRole("button", { name: "Search" }).click();
      const card = page.getByRole("list", { name: "Products" }).getByRole("listitem").filter({ hasText: name });
      const img = card.getByRole("img", { name: "A copper moka pot" });
      await img.waitFor();
      assert.deepEqual([await img.getAttribute("width"), await img.getAttribute("height")], ["64", "48"]);
      await page.waitForFunction(
        (n) => [...document.images].some((i) => i.alt === n && i.complete && i.naturalWidth === 64),
        "A copper moka pot",
      );
      await shot("catalog-with-image");
      await card.getByRole("link", { name }).click();
      await heading(page, name);
      await page.getByRole("list", { name: "Pictures" }).getByRole("img", { name: "A copper moka pot" }).waitFor();
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("Added to your cart.").waitFor();
      const { order } = await checkout(page);
      await order.getByText(name).waitFor();
    },
  },

  {
    name: "an admin starts a discount and a customer uses it until it runs out",
    async run({ page, shot }) {
      await logIn(page, ADMIN);
      await page.goto("/admin/discounts");
      await heading(page, "Discounts");
      const code = `TWICE${Date.now().toString(36).toUpperCase()}`;
      await page.getByLabel("Code").fill(code);
      await page.getByLabel("Percent off").fill("150");
      await page.getByLabel("Maximum uses (optional)").fill("2");
      await page.getByRole("button", { name: "Start discount" }).click();
      await page.getByText("A percentage is at most 100.").waitFor();
      assert.equal(await page.getByLabel("Percent off").getAttribute("aria-invalid"), "true");
      await page.getByLabel("Percent off").fill("15");
      await page.getByRole("button", { name: "Start discount" }).click();
      await page.getByText(`Discount ${code} started.`).waitFor();
      const row = page.locator(`[data-testid="discount-row"][data-code="${code}"]`);
      await row.getByTestId("discount-used").getByText("0 of 2").waitFor();
      await accessible(page, "discounts");
      await shot("admin-discounts");

      const shopper = await otherSession(page);
      try {
        await logIn(shopper.page, ALICE);
        for (let use = 0; use < 2; use++) await buyFirstInStock(shopper.page, "Kettle", code);
        // The third time the code has run out.
        await shopper.page.goto("/");
        await shopper.page.getByLabel("Search products").fill("Kettle");
        await shopper.page.getByRole("button", { name: "Search" }).click();
        await shopper.page
          .getByRole("list", { name: "Products" })
          .getByRole("listitem")
          .filter({ hasText: "In stock" })
          .first()
          .getByRole("link")
          .click();
        await shopper.page.getByRole("button", { name: "Add to cart" }).click();
        await shopper.page.getByText("Added to your cart.").waitFor();
        await shopper.page.getByRole("link", { name: /^Cart, / }).click();
        await shopper.page.getByLabel("Discount code").fill(code);
        await shopper.page.getByRole("button", { name: "Apply" }).click();
        await shopper.page.getByText("This discount code has been used up.").waitFor();
      } finally {
        await shopper.close();
      }
      await page.reload();
      await row.getByTestId("discount-used").getByText("2 of 2").waitFor();
      await row.getByRole("button", { name: `Disable ${code}` }).click();
      await row.getByText("Disabled").waitFor();
    },
  },

  {
    name: "an admin cancels a paid order and sees the refund state; finds the customer",
    async run({ page, shot }) {
      await logIn(page, BOB);
      const { id } = await buyFirstInStock(page, "Lantern");
      await page.getByRole("button", { name: "Log out" }).click();

      await logIn(page, ADMIN);
      await page.goto("/admin/orders");
      await heading(page, "Orders");
      await page.getByLabel("Order id or customer email").fill(BOB.email);
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByLabel("Status").selectOption("paid");
      const card = page.locator(`[data-order-id="${id}"]`);
      await card.getByTestId("payment-status").getByText("Payment received").waitFor();
      await accessible(page, "orders");
      await shot("admin-orders");
      await card.getByRole("button", { name: "Cancel and refund" }).click(); // the confirm dialog is accepted
      await card.waitFor({ state: "detached" }); // no longer paid
      await page.getByLabel("Status").selectOption("cancelled");
      await card.getByText("Cancelled", { exact: true }).waitFor();
      // The refund goes through the queue: "Refund in progress" until the provider confirms it.
      await card
        .getByTestId("payment-status")
        .getByText(/^(Refunded|Refund in progress)$/)
        .waitFor();

      await card.getByRole("link", { name: `Open order ${id.slice(-8)}` }).click();
      await heading(page, `Order ${id.slice(-8)}`);
      const history = page.getByRole("region", { name: "History" });
      await history.getByText(`cancelled by ${ADMIN.email}`).waitFor();
      await accessible(page, "order detail");
      await shot("admin-order-detail");

      await page.getByRole("link", { name: BOB.name }).click();
      await heading(page, "Customers");
      await page.getByLabel("Email (or its beginning)").fill("bob@");
      await page.getByRole("button", { name: "Find" }).click();
      await page.getByRole("list", { name: "Customers found" }).getByRole("link", { name: BOB.email }).click();
      await page.getByRole("link", { name: id.slice(-8) }).waitFor();
      assert.equal(await page.getByLabel("Role").inputValue(), "customer");
      await accessible(page, "customers");
      await shot("admin-customers");
    },
  },

  {
    name: "the dashboard's figures equal what the scenario's own orders add up to, at a phone's width",
    phone: true,
    async run({ page, shot }) {
      await logIn(page, ADMIN);
      await page.goto("/admin");
      await heading(page, "Dashboard");
      const figure = async (id: string) => (await page.getByTestId(`figure-${id}`).textContent()) ?? "";
      const today = new Date().toISOString().slice(0, 10);
      const todayRow = page.getByRole("row", { name: new RegExp(`^${today}`) });
      const readFigures = async () => ({
        orders: Number(await figure("orders")),
        revenue: cents(await figure("revenue")),
        todayOrders: Number((await todayRow.getByRole("cell").nth(0).textContent()) ?? ""),
        todayRevenue: cents((await todayRow.getByRole("cell").nth(1).textContent()) ?? ""),
      });
      await page.getByTestId("figure-orders").waitFor();
      await todayRow.waitFor();
      const before = await readFigures();

      const shopper = await otherSession(page);
      const totals: number[] = [];
      try {
        await logIn(shopper.page, ALICE);
        totals.push((await buyFirstInStock(shopper.page, "Kettle")).totalCents);
        totals.push((await buyFirstInStock(shopper.page, "Lantern")).totalCents);
      } finally {
        await shopper.close();
      }
      const added = totals.reduce((a, b) => a + b, 0);

      await page.reload();
      await heading(page, "Dashboard");
      await page
        .getByTestId("figure-orders")
        .getByText(String(before.orders + 2), { exact: true })
        .waitFor();
      const after = await readFigures();
      assert.deepEqual(
        {
          orders: after.orders - before.orders,
          revenue: after.revenue - before.revenue,
          todayOrders: after.todayOrders - before.todayOrders,
          todayRevenue: after.todayRevenue - before.todayRevenue,
        },
        { orders: 2, revenue: added, todayOrders: 2, todayRevenue: added },
      );
      assert.equal(cents(await figure("average")), Math.round(after.revenue / after.orders));
      await accessible(page, "dashboard");
      await shot("admin-dashboard-390px");
      // Nothing wider than the phone's screen.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal scrolling at 390 px");
    },
  },

  {
    name: "a customer's order page turns shipped live when an admin ships it; the admin's list shows the new order live",
    async run({ page, shot }) {
      // The admin's order list is open (and subscribed) before the customer orders.
      await logIn(page, ADMIN);
      await page.getByRole("link", { name: "Admin" }).click();
      await heading(page, "Dashboard");
      await adminScreen(page, "Orders", "Orders");
      await page.locator('[data-testid="live-status"][data-live="pending"]').waitFor();
      await page.getByRole("list", { name: "Orders" }).getByTestId("order").first().waitFor();
      await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));

      const customer = await otherSession(page);
      try {
        const c = customer.page;
        await logIn(c, BOB);
        const { id } = await buyFirstInStock(c, "Lantern");
        // The new order reaches the admin's list without a reload (the feed's event refetches the list).
        const adminCard = page.locator(`[data-order-id="${id}"]`);
        await adminCard.getByText("Paid", { exact: true }).waitFor();

        await c.getByRole("link", { name: `Follow order ${id.slice(-8)}` }).click();
        await heading(c, `Order ${id.slice(-8)}`);
        await c.locator('[data-testid="live-status"][data-live="pending"]').waitFor();
        const status = c.getByTestId("order").getByTestId("order-status");
        assert.equal(await status.textContent(), "Paid");
        // From here on: no reload (the marker on window survives, no load event) and no refetch of the
        // order: the change must arrive in the subscription's event.
        await c.evaluate(() => Object.assign(window, { e2eSamePage: true }));
        let loads = 0;
        let orderReads = 0;
        c.on("load", () => loads++);
        c.on("request", (request) => {
          if (/\/trpc\/[^?]*orders\.(get|list)/.test(request.url())) orderReads++;
        });

        await adminCard.getByRole("button", { name: "Mark shipped" }).click();
        await status.getByText("Shipped", { exact: true }).waitFor();
        await c.getByRole("button", { name: "Cancel order" }).waitFor({ state: "detached" });
        assert.equal(await c.evaluate(() => "e2eSamePage" in window), true, "the customer's page was not reloaded");
        assert.equal(loads, 0, "no document load on the customer's page");
        assert.equal(orderReads, 0, "the order was not fetched again: the event carried it");
        await shot("order-live-shipped");
        await adminCard.getByText("Shipped", { exact: true }).waitFor();
        assert.equal(await page.evaluate(() => "e2eSamePage" in window), true, "the admin's page was not reloaded");
      } finally {
        await customer.close();
      }
    },
  },
];
