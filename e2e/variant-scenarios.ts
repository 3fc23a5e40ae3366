// Browser scenarios of products in variants: a customer picks Medium Blue and buys it; an admin adds
// a variant and sets its stock, and the storefront offers it.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { Scenario } from "./scenarios.ts";

const BOB = { email: "bob@storefront.local", password: "Bob-Storefront-1" };
const ADMIN = { email: "admin@storefront.local", password: "Admin-Storefront-1" };
const TEE = "Organic Cotton Tee";

const heading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();

async function logIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await heading(page, "Log in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByTestId("signed-in-as").waitFor();
}

async function openTee(page: Page) {
  await page.goto("/products/apparel-organic-cotton-tee");
  await heading(page, TEE);
}

// A disabled choice is named "Blue (unavailable)".
const choice = (page: Page, option: string, value: string) =>
  page.getByRole("group", { name: option }).getByRole("radio", { name: new RegExp(`^${value}( \\(unavailable\\))?$`) });

export const variantScenarios: Scenario[] = [
  {
    name: "a customer picks a Medium Blue T-shirt, sold-out combinations disabled, and buys it",
    async run({ page, shot }) {
      await logIn(page, BOB);
      await openTee(page);
      // It opens on S / Red, the first in stock. S / Blue is sold out, so Blue is disabled beside S.
      assert.ok(await choice(page, "Size", "S").isChecked());
      assert.ok(await choice(page, "Colour", "Blue").isDisabled(), "S / Blue is sold out");
      // L / Red is not made: choosing L moves to L / Blue, and Red is disabled beside L.
      await choice(page, "Size", "L").check();
      assert.ok(await choice(page, "Colour", "Blue").isChecked());
      assert.ok(await choice(page, "Colour", "Red").isDisabled(), "L / Red is not made");
      await page.getByText("$22.00").waitFor();
      await choice(page, "Size", "M").check();
      assert.ok(await choice(page, "Colour", "Blue").isChecked());
      await page.getByText("$20.00").waitFor();
      await shot("variant-picker");
      await page.getByRole("button", { name: "Add to cart" }).click();
      await page.getByText("Added to your cart.").waitFor();

      await page.goto("/cart");
      await heading(page, "Your cart");
      const line = page.getByRole("list", { name: "Items in your cart" }).getByRole("listitem").filter({ hasText: TEE });
      await line.waitFor();
      assert.match((await line.locator(".variant-label").textContent()) ?? "", /M \/ Blue/);
      await page.getByRole("link", { name: "Check out" }).click();
      await heading(page, "Checkout");
      for (const [label, value] of Object.entries({
        "Full name": "Bob Example",
        Address: "2 Test Street",
        City: "Springfield",
        // Oregon: the demo data taxes US orders per state, Oregon at 0 %, so the total is the price.
        "State or region (optional)": "OR",
        "Postal code": "12345",
      }))
        await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole("button", { name: "Place order" }).click();
      await heading(page, "Your orders");
      await page.getByText("Thank you! Your order is placed and paid.").waitFor();
      await page.getByTestId("order").first().getByText(`${TEE} (M / Blue)`).waitFor();
    },
  },
  {
    name: "an admin adds a variant to the T-shirt and sets its stock, and the storefront offers it",
    async run({ page, shot }) {
      await logIn(page, ADMIN);
      await page.goto("/admin/products");
      await page.getByLabel("Find a product").fill("cotton tee");
      await page.getByLabel("Find a product").press("Enter");
      await page.getByRole("table", { name: "Products" }).getByRole("link", { name: TEE }).first().click();
      await heading(page, `Edit ${TEE}`);
      const grid = page.getByRole("region", { name: "Options and variants" });
      const rows = grid.getByRole("table", { name: "Variants" }).getByRole("row");
      await rows.nth(1).waitFor();
      const before = await rows.count();
      await grid.getByRole("button", { name: "Add variant" }).click();
      const n = before; // rows include the header: the new variant is number `before`
      await grid.getByLabel(`SKU of variant ${n}`).fill("TEE-L-RED");
      await grid.getByLabel(`Values of variant ${n}`).fill("L / Red");
      await grid.getByLabel(`Price of variant ${n}`).fill("22.00");
      await grid.getByLabel(`Stock of variant ${n}`).fill("7");
      await grid.getByRole("button", { name: "Save variants" }).click();
      await grid.getByText("Variants saved.").waitFor();
      assert.equal(await grid.getByLabel(`Stock of variant ${n}`).inputValue(), "7");
      await shot("admin-variants");

      await openTee(page);
      await choice(page, "Size", "L").check();
      assert.ok(await choice(page, "Colour", "Red").isEnabled(), "L / Red is made now");
      await choice(page, "Colour", "Red").check();
      await page.getByText("$22.00").waitFor();
      assert.ok(await page.getByRole("button", { name: "Add to cart" }).isEnabled());
    },
  },
];
