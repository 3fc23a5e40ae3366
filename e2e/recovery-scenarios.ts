// Browser scenarios of accounts that can be recovered: a forgotten password reset from the link
// in the development mailbox (the old sessions end), and a sign-up verified from its link. Each
// page on the way is checked with axe-core.
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { signUp } from "./account-scenarios.ts";
import type { Scenario } from "./scenarios.ts";

const heading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();
const signedInAs = (page: Page) => page.getByTestId("signed-in-as");

async function accessible(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(found, [], `axe-core on ${screen}`);
}

/**
 * The link in the newest mail to `to` whose subject matches, from /dev/mailbox, as a path with
 * its fragment on this server. Mails go out through the queue, so it waits for one to arrive.
 */
async function linkFromMailbox(page: Page, to: string, subject: RegExp): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    const list = (await (await page.request.get("/dev/mailbox?format=json")).json()) as {
      mails: { id: string; to: string; subject: string }[];
    };
    const mail = list.mails.find((m) => m.to === to && subject.test(m.subject));
    if (mail) {
      const text = await (await page.request.get(`/dev/mailbox/${mail.id}/text`)).text();
      const link = /https?:\/\/\S+/.exec(text)?.[0];
      assert.ok(link, "the mail carries a link");
      const url = new URL(link);
      assert.equal(url.search, "", "the token is not in the query string");
      assert.match(url.hash, /^#token=[A-Za-z0-9_-]{43}$/, "the token is in the fragment");
      return url.pathname + url.hash;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no mail to ${to} matching ${String(subject)} in the mailbox`);
}

export const recoveryScenarios: Scenario[] = [
  {
    name: "forgot password: the reset link from the mailbox sets a new password and ends the old sessions",
    async run({ page, shot }) {
      const user = { name: "Rita Reset", email: `reset-${Date.now()}@example.com`, password: "Rita-Old-Pass-1" };
      await signUp(page, user);
      // A second browser, signed in with the old password, which the reset must sign out.
      const browser: Browser | null = page.context().browser();
      assert.ok(browser);
      const other = await browser.newContext({ baseURL: new URL(page.url()).origin });
      const otherPage = await other.newPage();
      await otherPage.goto("/login");
      await otherPage.getByLabel("Email").fill(user.email);
      await otherPage.getByLabel("Password").fill(user.password);
      await otherPage.getByRole("button", { name: "Log in" }).click();
      await signedInAs(otherPage).getByText(user.name).waitFor();

      await page.getByRole("button", { name: "Log out" }).click();
      await page.getByRole("link", { name: "Log in" }).click();
      await heading(page, "Log in");
      await page.getByRole("link", { name: "Forgot your password?" }).click();
      await heading(page, "Forgot your password?");
      await accessible(page, "forgot password");
      await page.getByLabel("Email").fill(user.email);
      await page.getByRole("button", { name: "Send the link" }).click();
      await page.getByText(`If an account uses ${user.email}, a link to choose a new password is on its way.`).waitFor();
      await accessible(page, "forgot password, sent");
      await shot("forgot-password");

      await page.goto(await linkFromMailbox(page, user.email, /reset your password/));
      await heading(page, "Choose a new password");
      // The token is out of the address bar at once, and the page sends no Referer.
      await page.waitForFunction(() => location.hash === "");
      assert.equal(await page.evaluate(() => document.querySelector('meta[name="referrer"]')?.getAttribute("content")), "no-referrer");
      await accessible(page, "reset password");
      await page.getByLabel("New password").fill("Rita-New-Pass-2");
      await page.getByRole("button", { name: "Set the new password" }).click();
      await page.getByText("Your password was changed, and every session was signed out.").waitFor();
      await accessible(page, "reset password, done");
      await shot("reset-password");

      await page.getByRole("link", { name: "Log in with your new password" }).click();
      await heading(page, "Log in");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill("Rita-New-Pass-2");
      await page.getByRole("button", { name: "Log in" }).click();
      await signedInAs(page).getByText(user.name).waitFor();

      // The other browser's session is gone: a reload cannot restore it.
      await otherPage.reload();
      await otherPage.getByRole("link", { name: "Log in" }).waitFor();
      assert.equal(await signedInAs(otherPage).count(), 0);
      await other.close();
    },
  },
  {
    name: "sign-up: the verification link from the mailbox confirms the address",
    async run({ page, shot }) {
      const user = { name: "Vera Verify", email: `verify-${Date.now()}@example.com`, password: "Vera-Verify-Pass-1" };
      await signUp(page, user);
      await page.goto(await linkFromMailbox(page, user.email, /confirm your e-mail address/));
      await heading(page, "Confirm your e-mail address");
      await page.waitForFunction(() => location.hash === "");
      await accessible(page, "verify e-mail");
      await page.getByRole("button", { name: "Confirm my address" }).click();
      await page.getByText(`${user.email} is confirmed as your account's address.`).waitFor();
      await accessible(page, "verify e-mail, done");
      await shot("verify-email");
      // Opened again (a fresh load, not a jump within the page), the link is used up.
      await page.goto("/");
      await page.goto(await linkFromMailbox(page, user.email, /confirm your e-mail address/));
      await page.getByRole("button", { name: "Confirm my address" }).click();
      await page.getByText(/not valid/).waitFor();
    },
  },
];
