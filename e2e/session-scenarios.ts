// Browser scenarios of the session: access tokens that expire while requests are in flight, in one
// tab and in two, refresh through one path, so the refresh cookie is never presented after its
// rotation (which the API takes for theft and answers by revoking the session family).
import assert from "node:assert/strict";
import type { BrowserContext } from "playwright-core";
import { bytesOf, GRADIENT_JPEG } from "../test/fixtures/images.ts";
import { ADMIN, heading, logIn } from "./admin-scenarios.ts";
import type { Scenario } from "./scenarios.ts";

const bearer = (headers: Record<string, string>) => /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1];
const isRefresh = (url: string) => new URL(url).pathname.includes("auth.refresh");

/** Every access token the context's pages have sent, and the status of every refresh answered. */
function watchSession(context: BrowserContext) {
  const sent = new Set<string>();
  const refreshes: number[] = [];
  context.on("request", (request) => {
    const token = bearer(request.headers());
    if (token) sent.add(token);
  });
  context.on("response", (response) => {
    if (isRefresh(response.url())) refreshes.push(response.status());
  });
  return { sent, refreshes };
}

/** Resolves when `count` calls have arrived, or after `ms` (so a missing partner fails an assertion, not the run). */
function meeting(count: number, ms: number) {
  let arrived = 0;
  let open = () => {};
  const all = new Promise<void>((resolve) => (open = resolve));
  return {
    arrive: () => {
      if (++arrived === count) open();
      return Promise.race([all, new Promise((resolve) => setTimeout(resolve, ms))]);
    },
    arrived: () => arrived,
  };
}

/**
 * From now on the server sees every access token sent so far as its expired twin (the same claims,
 * re-signed with times 16 minutes back). The requests that carry one are held until `together` of
 * them are in flight, so their 401s and the refreshes they need overlap. With `refreshesTogether`,
 * refreshes are held the same way (at most 2 s each), so two that could race are sent together.
 */
async function expireTokens(
  context: BrowserContext,
  sent: Set<string>,
  expire: (token: string) => string,
  options: { together: number; refreshesTogether?: number },
) {
  const stale = new Set(sent);
  assert.ok(stale.size > 0, "the pages have sent their access tokens");
  const requests = meeting(options.together, 5_000);
  const refreshes = meeting(options.refreshesTogether ?? 1, 2_000);
  await context.route(
    (url) => /^\/(trpc|uploads)\//.test(url.pathname),
    async (route) => {
      const request = route.request();
      if (isRefresh(request.url())) {
        await refreshes.arrive();
        return route.continue();
      }
      const headers = request.headers();
      const token = bearer(headers);
      if (!token || !stale.has(token)) return route.continue();
      await requests.arrive();
      await route.continue({ headers: { ...headers, authorization: `Bearer ${expire(token)}` } });
    },
  );
  return { held: requests.arrived };
}

export const sessionScenarios: Scenario[] = [
  {
    name: "two requests find the admin's access token expired at once: one refresh, the admin stays signed in",
    async run({ page, shot, expire }) {
      const context = page.context();
      const session = watchSession(context);
      await logIn(page, ADMIN);
      await page.goto("/admin/products/new");
      await heading(page, "New product");
      const name = `Enamel Jug ${Date.now().toString(36)}`;
      await page.getByLabel("Name").fill(name);
      await page.getByLabel("Slug").fill(name.toLowerCase().replace(/ /g, "-"));
      await page.getByLabel("Description").fill("A white enamel water jug.");
      await page.getByLabel("Category").selectOption({ label: "Kitchen" });
      await page.getByLabel("Price (USD)").fill("18.00");
      await page.getByRole("button", { name: "Create product" }).click();
      await heading(page, `Edit ${name}`);
      await page.getByText("No images yet").waitFor();
      await page.getByLabel("Price (USD)").fill("19.50");
      await page
        .getByLabel("Image file")
        .setInputFiles({ name: "jug.jpg", mimeType: "image/jpeg", buffer: Buffer.from(bytesOf(GRADIENT_JPEG)) });
      await page.getByLabel("Description of the image").fill("An enamel jug");

      // A tRPC mutation (the client's retry) and an image upload (a plain HTTP route) find the
      // token expired at the same moment.
      const refreshesBefore = session.refreshes.length;
      const { held } = await expireTokens(context, session.sent, expire, { together: 2 });
      // One click after the other (the mouse has one pointer); the first request waits for the second.
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByRole("button", { name: "Upload image" }).click();
      await page.getByText("Changes saved.").waitFor();
      await page.getByText("Image uploaded.").waitFor();
      assert.equal(held(), 2, "both requests went out with the expired token at the same time");
      assert.deepEqual(session.refreshes.slice(refreshesBefore), [200], "one refresh served both requests");
      await page.getByTestId("signed-in-as").getByText(ADMIN.name).waitFor();
      await page.getByRole("list", { name: "Product images" }).getByRole("img", { name: "An enamel jug" }).waitFor();
      await shot("admin-product-after-refresh");

      // The session family was not revoked: a reload restores the session with the refresh cookie.
      await context.unrouteAll();
      await page.reload();
      await heading(page, `Edit ${name}`);
      await page.getByTestId("signed-in-as").getByText(ADMIN.name).waitFor();
      assert.equal(await page.getByLabel("Price (USD)").inputValue(), "19.50");
    },
  },

  {
    name: "two tabs find the admin's access token expired at once: they refresh one after the other, both stay signed in",
    async run({ page, expire }) {
      const context = page.context();
      const session = watchSession(context);
      await logIn(page, ADMIN);
      // A second tab of the same browser: it restores the session from the shared refresh cookie.
      const tabs = [page, await context.newPage()];
      for (const tab of tabs) {
        await tab.goto("/admin/products");
        await heading(tab, "Products");
        await tab.getByRole("table", { name: "Products" }).waitFor();
      }

      // Each tab searches with its own access token, both expired; the refreshes they need are
      // held so that, were they not taken one at a time, they would reach the API together.
      const refreshesBefore = session.refreshes.length;
      const { held } = await expireTokens(context, session.sent, expire, { together: 2, refreshesTogether: 2 });
      const searches = ["Cushion", "Wall Clock"];
      for (const [i, tab] of tabs.entries()) {
        await tab.getByLabel("Find a product").fill(searches[i] ?? "");
        await tab.getByRole("button", { name: "Find" }).click();
      }
      for (const [i, tab] of tabs.entries()) {
        await tab
          .getByRole("table", { name: "Products" })
          .getByRole("link", { name: `Studio ${searches[i] ?? ""}` })
          .waitFor();
        await tab.getByTestId("signed-in-as").getByText(ADMIN.name).waitFor();
      }
      assert.equal(held(), 2, "both tabs sent the expired token at the same time");
      assert.deepEqual(session.refreshes.slice(refreshesBefore), [200, 200], "each tab refreshed, neither was refused");

      // The session family was not revoked: a reload restores the session with the refresh cookie.
      await context.unrouteAll();
      for (const tab of tabs) {
        await tab.reload();
        await heading(tab, "Products");
        await tab.getByTestId("signed-in-as").getByText(ADMIN.name).waitFor();
      }
      await tabs[1]?.close();
    },
  },
];
