// Browser scenarios for shipping options and tax: a customer picks an option for their country at
// checkout, and the printable receipt shows the lines, the tax and the totals that were charged.
// The zones and rates are the demo data (scripts/demo-shipping.ts).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { Scenario } from "./scenarios.ts";

const heading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();
const cents = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, "")) * 100);
/** Half-up division of non-negative integers, as domain/tax.ts rounds. */
const divideHalfUp = (n: number, d: number) => Math.floor((2 * n + d) / (2 * d));

async function signUp(page: Page, tag: string) {
  await page.goto("/signup");
  await heading(page, "Create an account");
  await page.getByLabel("Name").fill(`${tag} Tester`);
  await page.getByLabel("Email").fill(`${tag.toLowerCase()}-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("Shipping-Tester-pass-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByTestId("signed-in-as").getByText(`${tag} Tester`).waitFor();
}

async function signUpAndBuyOneKettle(page: Page, tag: string) {
  await signUp(page, tag);
  await page.getByLabel("Search products").fill("Kettle");
  await page.getByRole("button", { name: "Search" }).click();
  await heading(page, "Results for “Kettle”");
  const link = page.getByRole("list", { name: "Products" }).getByRole("listitem").filter({ hasText: "In stock" }).first().getByRole("link");
  const name = (await link.textContent()) ?? "";
  await link.click();
  await heading(page, name);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("Added to your cart.").waitFor();
  await page.goto("/checkout");
  await heading(page, "Checkout");
  return name;
}

/** The demo T-shirt in Medium Blue (scripts/seed.ts), picked as a customer would. */
async function signUpAndBuyMediumBlueTee(page: Page, tag: string) {
  await signUp(page, tag);
  await page.goto("/products/apparel-organic-cotton-tee");
  await heading(page, "Organic Cotton Tee");
  await page.getByRole("group", { name: "Size" }).getByRole("radio", { name: "M", exact: true }).check();
  await page.getByRole("group", { name: "Colour" }).getByRole("radio", { name: "Blue", exact: true }).check();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByText("Added to your cart.").waitFor();
  await page.goto("/checkout");
  await heading(page, "Checkout");
  return "Organic Cotton Tee (M / Blue)";
}

async function fillAddress(page: Page, address: Record<string, string>) {
  for (const [label, value] of Object.entries(address)) await page.getByLabel(label, { exact: true }).fill(value);
}

/** The checkout summary's money lines as shown: subtotal, shipping, tax, total. */
async function summary(page: Page) {
  const totals = page.getByRole("complementary", { name: "Order summary" }).getByRole("definition");
  const texts = await totals.allTextContents();
  return texts;
}

async function placeAndOpenReceipt(page: Page) {
  await page.getByRole("button", { name: "Place order" }).click();
  await heading(page, "Your orders");
  await page.getByText("Thank you! Your order is placed and paid.").waitFor();
  // The order's card names its tax beside shipping and total.
  await page
    .getByText(/Tax( included)? \$\d+\.\d\d · Total/)
    .first()
    .waitFor();
  await page
    .getByRole("link", { name: /^Follow order/ })
    .first()
    .click();
  await page.getByRole("link", { name: "Receipt" }).click();
  await heading(page, /^Receipt /);
  return page.getByRole("article", { name: "Receipt" });
}

export const shippingScenarios: Scenario[] = [
  {
    name: "a customer in Germany buys a Medium Blue T-shirt with express shipping; the receipt shows the VAT included",
    async run({ page, shot }) {
      const product = await signUpAndBuyMediumBlueTee(page, "Greta");
      await fillAddress(page, {
        "Full name": "Greta Tester",
        Address: "Unter den Linden 1",
        City: "Berlin",
        "Postal code": "10117",
        "Country code": "DE",
      });
      const express = page.getByRole("radio", { name: /^Express/ });
      await express.check();
      await page.getByTestId("tax").waitFor();
      await page.getByRole("complementary", { name: "Order summary" }).getByText("Tax included").waitFor();
      const [subtotal = "", shipping = "", tax = "", total = ""] = await summary(page);
      assert.equal(cents(shipping), 1490, "express to the EU costs 14.90 for a light parcel");
      // VAT inclusive: the total is the prices plus shipping; the tax is what they hold at 19 %.
      const vat = (gross: number) => gross - divideHalfUp(gross * 10_000, 11_900);
      assert.equal(cents(tax), vat(cents(subtotal)) + vat(1490));
      assert.equal(cents(total), cents(subtotal) + 1490);
      await shot("checkout-germany");

      const receipt = await placeAndOpenReceipt(page);
      const lines = receipt.getByTestId("receipt-line");
      await lines.filter({ hasText: product }).waitFor();
      assert.equal(await lines.count(), 1);
      await receipt.getByText("Tax included in the prices").waitFor();
      assert.equal(cents((await receipt.getByTestId("receipt-tax").textContent()) ?? ""), cents(tax));
      assert.equal(cents((await receipt.getByTestId("receipt-shipping").textContent()) ?? ""), 1490);
      assert.equal(cents((await receipt.getByTestId("receipt-total").textContent()) ?? ""), cents(total));
      await receipt.getByText("Storefront", { exact: true }).waitFor();
      await shot("receipt-germany");
    },
  },
  {
    name: "a customer in California buys with standard shipping; sales tax is added and on the receipt",
    async run({ page, shot }) {
      const product = await signUpAndBuyOneKettle(page, "Carla");
      await fillAddress(page, {
        "Full name": "Carla Tester",
        Address: "1 Market St",
        City: "San Francisco",
        "State or region (optional)": "CA",
        "Postal code": "94105",
        "Country code": "US",
      });
      await page.getByRole("radio", { name: /^Standard/ }).check();
      await page.getByTestId("tax").waitFor();
      const [subtotal = "", shipping = "", tax = "", total = ""] = await summary(page);
      // 7.25 % on the goods, none on shipping, added to the total.
      assert.equal(cents(tax), divideHalfUp(cents(subtotal) * 725, 10_000));
      assert.equal(cents(total), cents(subtotal) + cents(shipping) + cents(tax));
      await shot("checkout-california");

      const receipt = await placeAndOpenReceipt(page);
      await receipt.getByTestId("receipt-line").filter({ hasText: product }).waitFor();
      await receipt.getByRole("term").filter({ hasText: /^Tax$/ }).waitFor();
      assert.equal(cents((await receipt.getByTestId("receipt-tax").textContent()) ?? ""), cents(tax));
      assert.equal(cents((await receipt.getByTestId("receipt-total").textContent()) ?? ""), cents(total));
      await shot("receipt-california");
    },
  },
];
