// Browser scenario of the account settings page: a second browser signed in to the same account
// shows up in the session list and is signed out from the first; the data export downloads as
// JSON; deleting the account signs out and frees the address for a new sign-up.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { accessible, heading } from "./admin-scenarios.ts";
import type { Scenario } from "./scenarios.ts";

const signedInAs = (page: Page) => page.getByTestId("signed-in-as");

/** Signs a new customer up through the form, as a visitor would. */
export async function signUp(page: Page, user: { email: string; password: string; name: string }) {
  await page.goto("/signup");
  await heading(page, "Create an account");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await signedInAs(page).getByText(user.name).waitFor();
}

async function openAccount(page: Page) {
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Account", exact: true }).click();
  await heading(page, "Your account");
}

export const accountScenarios: Scenario[] = [
  {
    name: "account settings: revoke a second browser's session, export my data, delete my account and sign up again",
    async run({ page, shot }) {
      const user = { email: `leaving-${Date.now()}@storefront.local`, password: "Leaving-Storefront-1", name: "Lee Leaving" };
      await signUp(page, user);
      await openAccount(page);
      await page.getByTestId("session").first().waitFor();
      assert.equal(await page.getByTestId("session").count(), 1, "one device signed in");

      // The same account in a second browser (another context: its own cookies and storage).
      const browser: Browser | null = page.context().browser();
      assert.ok(browser);
      const other = await browser.newContext({ baseURL: new URL(page.url()).origin });
      try {
        const second = await other.newPage();
        await second.goto("/login");
        await heading(second, "Log in");
        await second.getByLabel("Email").fill(user.email);
        await second.getByLabel("Password").fill(user.password);
        await second.getByRole("button", { name: "Log in" }).click();
        await signedInAs(second).getByText(user.name).waitFor();

        await page.reload();
        await heading(page, "Your account");
        const sessions = page.getByRole("list", { name: "Signed-in devices" }).getByTestId("session");
        await sessions.nth(1).waitFor();
        assert.equal(await sessions.count(), 2, "both browsers are listed");
        const theOther = sessions.filter({ hasNot: page.getByText("This device") });
        assert.match((await theOther.textContent()) ?? "", /Chrome on Linux/);
        await accessible(page, "account settings");
        await shot("account-settings");

        await theOther.getByRole("button", { name: /^Sign out/ }).click();
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="session"]').length === 1);
        assert.equal(await page.getByTestId("session").getAttribute("data-current"), "true", "this browser stays signed in");

        // The second browser's next call is refused and its refresh too: it is signed out.
        await second.goto("/orders");
        await second.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Log in" }).waitFor();
        assert.equal(await signedInAs(second).count(), 0);
      } finally {
        await other.close();
      }

      // Export: a JSON file with this account's profile.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download my data" }).click()]);
      assert.equal(download.suggestedFilename(), "storefront-my-data.json");
      const path = await download.path();
      const exported = JSON.parse(await readFile(path, "utf8")) as { profile: { email: string; name: string } };
      assert.deepEqual([exported.profile.email, exported.profile.name], [user.email, user.name]);

      // Delete: the password and the confirmation, then signed out on the home page.
      const deletion = page.getByRole("form", { name: "Delete my account" });
      await deletion.getByLabel("Password").fill(user.password);
      await deletion.getByLabel("I understand my account is deleted for good").check();
      await accessible(page, "account settings, ready to delete");
      await deletion.getByRole("button", { name: "Delete my account" }).click();
      await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Log in" }).waitFor();
      assert.equal(new URL(page.url()).pathname, "/");

      // The address is free again.
      await signUp(page, { ...user, name: "Lee Returning" });
    },
  },
];
