// Accounts that can be recovered: e-mail verification, password reset and change of e-mail, the
// mails that carry their links (read from the development mailbox), and the attacks they refuse.
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { OutboxMessage } from "../domain/outbox";
import { logger } from "../lib/log";
import { consumeOutbox } from "../services/outbox-consumer";
import { reconcile } from "../services/reconcile";
import { callerFor, consumerDeps, mailsTo, recordingQueue, scriptedRefunds, testDb } from "./helpers/callers";
import { refusalOf, STRONG_PASSWORD, signedUpUser, testClient, uniqueEmail, uniqueIp } from "./helpers/client";
import { signedUpAdmin } from "./helpers/shop";

afterEach(() => vi.restoreAllMocks());

const NEW_PASSWORD = "Brand-New-Pass-77";

/** The one mail to `to` whose subject matches, once the queue has delivered it. */
async function mailTo(to: string, subject: RegExp) {
  return vi.waitFor(
    async () => {
      const mails = (await mailsTo(to)).filter((m) => subject.test(m.subject));
      expect(mails).toHaveLength(1);
      return mails[0]!;
    },
    { timeout: 15_000, interval: 100 },
  );
}

/** The link a mail carries, and the token in its fragment. */
function linkIn(mail: { text: string }) {
  const match = /(https?:\/\/\S+)/.exec(mail.text);
  if (!match) throw new Error("no link in the mail");
  const url = new URL(match[1]!);
  return { url, token: new URLSearchParams(url.hash.slice(1)).get("token") ?? "" };
}

async function resetLinkFor(email: string) {
  await testClient().client.auth.requestPasswordReset.mutate({ email });
  return linkIn(await mailTo(email, /reset your password/));
}

const userRow = (email: string) =>
  env.DB.prepare("select id, email, email_verified, password_hash from users where email = ?1")
    .bind(email)
    .first<{ id: string; email: string; email_verified: number; password_hash: string }>();

describe("e-mail verification", () => {
  it("mails a link on sign-up that verifies the address, once", async () => {
    const { client, session } = testClient();
    const email = uniqueEmail("verify");
    session.tokens = await client.auth.signup.mutate({ email, password: STRONG_PASSWORD, name: "Vera" });
    expect(session.tokens.user.emailVerified).toBe(false);
    expect((await client.auth.me.query()).emailVerified).toBe(false);

    const { url, token } = linkIn(await mailTo(email, /confirm your e-mail address/));
    expect(`${url.origin}${url.pathname}`).toBe("http://storefront.test/verify-email");
    expect(await testClient().client.auth.verifyEmail.mutate({ token })).toEqual({ email, emailVerified: true });
    expect((await client.auth.me.query()).emailVerified).toBe(true);

    expect(await refusalOf(testClient().client.auth.verifyEmail.mutate({ token }))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "token_invalid",
    });
  });

  it("sends a new link on request, and none once the address is verified", async () => {
    const user = await signedUpUser();
    await user.client.auth.requestEmailVerification.mutate();
    const { token } = linkIn(await mailTo(user.email, /confirm your e-mail address/));
    await testClient().client.auth.verifyEmail.mutate({ token });
    const queue = recordingQueue();
    const caller = await callerFor(user.session.tokens!.accessToken, { outbox: queue });
    await caller.auth.requestEmailVerification();
    expect(queue.sent).toEqual([]);
  });

  it("refuses a link mailed to an address the account no longer has", async () => {
    const user = await signedUpUser();
    await user.client.auth.requestEmailVerification.mutate();
    const { token } = linkIn(await mailTo(user.email, /confirm your e-mail address/));
    const other = uniqueEmail("moved");
    await env.DB.prepare("update users set email = ?1 where id = ?2").bind(other, user.user.id).run();
    expect(await refusalOf(testClient().client.auth.verifyEmail.mutate({ token }))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "token_invalid",
    });
    expect((await userRow(other))?.email_verified).toBe(0);
  });

  it("sends each account mail once, however often its message is delivered", async () => {
    const user = await signedUpUser();
    const queue = recordingQueue();
    const caller = await callerFor(user.session.tokens!.accessToken, { outbox: queue });
    await caller.auth.requestEmailVerification();
    expect(queue.sent.map((m) => m.stream)).toEqual(["account"]);
    // The second delivery is the queue's retry after a first one that sent but lost its ack.
    for (const attempts of [1, 2]) {
      const batch = createMessageBatch<OutboxMessage>("storefront-outbox", [
        { id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body: queue.sent[0]! },
      ]);
      await consumeOutbox(batch, consumerDeps(scriptedRefunds([]).provider));
      expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toHaveLength(1);
    }
    expect(await mailsTo(user.email)).toHaveLength(1);
  });

  it("leaves a mail whose queue send failed for the cron, which sends it again within the hour", async () => {
    const user = await signedUpUser();
    const down = { send: () => Promise.reject(new Error("queue unavailable")) };
    await (await callerFor(user.session.tokens!.accessToken, { outbox: down })).auth.requestEmailVerification();
    const [row] = (
      await env.DB.prepare("select id from account_mails where user_id = ?1 and sent_at is null").bind(user.user.id).all<{ id: string }>()
    ).results;
    expect(row).toBeDefined();
    const resentAt = async (minutesLater: number) => {
      const queue = recordingQueue();
      const deps = { db: testDb(), payments: scriptedRefunds([]).provider, outbox: queue, log: logger };
      await reconcile({ ...deps, now: () => Date.now() + minutesLater * 60_000 });
      return queue.sent.filter((m) => m.id === row!.id);
    };
    expect(await resentAt(0)).toEqual([]);
    expect(await resentAt(2)).toEqual([{ id: row!.id, stream: "account" }]);
    expect(await resentAt(61)).toEqual([]);
  });
});

describe("password reset", () => {
  it("sets the password from the mailed link, ends every session and mails 'password changed'", async () => {
    const user = await signedUpUser();
    const { url, token } = await resetLinkFor(user.email);
    // The token rides in the fragment: a browser sends it to no server and in no Referer.
    expect(url.pathname).toBe("/reset-password");
    expect(url.search).toBe("");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(await testClient().client.auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD })).toEqual({ ok: true });
    expect(await refusalOf(user.client.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
    const refresh = testClient().client.auth.refresh.mutate({ refreshToken: user.session.tokens!.refreshToken });
    expect(await refusalOf(refresh)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await refusalOf(testClient().client.auth.login.mutate({ email: user.email, password: STRONG_PASSWORD }))).toMatchObject({
      code: "UNAUTHORIZED",
    });
    const login = await testClient().client.auth.login.mutate({ email: user.email, password: NEW_PASSWORD });
    expect(login.user.email).toBe(user.email);
    await mailTo(user.email, /your password was changed/);
  });

  it("stops trusting the device cookies issued before it", async () => {
    const user = await signedUpUser();
    /** A login from a fresh IP: the bucket it counted against shows in RateLimit-Remaining. */
    const login = async (password: string, deviceToken?: string) => {
      const response = await SELF.fetch("http://storefront.test/trpc/auth.login", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": uniqueIp() },
        body: JSON.stringify({ json: { email: user.email, password, ...(deviceToken ? { deviceToken } : {}) } }),
      });
      const body: { result?: { data: { json: { deviceToken: string } } } } = await response.json();
      return { remaining: response.headers.get("RateLimit-Remaining"), deviceToken: body.result?.data.json.deviceToken };
    };
    const first = await login(STRONG_PASSWORD); // the untrusted bucket: 9 left
    expect(first.remaining).toBe("9");
    await login(STRONG_PASSWORD, first.deviceToken); // the device's own bucket: 9 left
    expect((await login(STRONG_PASSWORD, first.deviceToken)).remaining).toBe("8");
    const { token } = await resetLinkFor(user.email);
    await testClient().client.auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD });
    // Revoked: the old device cookie's login counts against the untrusted bucket (8 left), not its own (7).
    expect((await login(NEW_PASSWORD, first.deviceToken)).remaining).toBe("8");
  });

  it("answers the same for an address without an account, and mails nobody", async () => {
    const stranger = uniqueEmail("nobody");
    const known = await signedUpUser();
    const answers = [
      await testClient().client.auth.requestPasswordReset.mutate({ email: stranger }),
      await testClient().client.auth.requestPasswordReset.mutate({ email: known.email }),
    ];
    expect(answers[0]).toEqual(answers[1]);
    await mailTo(known.email, /reset your password/);
    // Both requests were delivered by now (one queue, in order); the stranger got nothing.
    await vi.waitFor(
      async () =>
        expect(
          (await env.DB.prepare("select sent_at from account_mails where email = ?1").bind(stranger).first<{ sent_at: number | null }>())
            ?.sent_at,
        ).toBeTypeOf("number"),
      { timeout: 15_000 },
    );
    expect(await mailsTo(stranger)).toEqual([]);
  });

  it("refuses a token used once already", async () => {
    const user = await signedUpUser();
    const { token } = await resetLinkFor(user.email);
    await testClient().client.auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD });
    const again = testClient().client.auth.resetPassword.mutate({ token, newPassword: "Yet-Another-Pass-55" });
    expect(await refusalOf(again)).toMatchObject({ code: "BAD_REQUEST", reason: "token_invalid" });
    await testClient().client.auth.login.mutate({ email: user.email, password: NEW_PASSWORD });
  });

  it("refuses a token after its 30 minutes", async () => {
    const user = await signedUpUser();
    const { token } = await resetLinkFor(user.email);
    const later = (minutes: number) => callerFor("none", { now: () => Date.now() + minutes * 60_000 });
    const late = (await later(31)).auth.resetPassword({ token, newPassword: NEW_PASSWORD });
    await expect(late).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { reason: "token_expired" } });
    expect(await (await later(29)).auth.resetPassword({ token, newPassword: NEW_PASSWORD })).toEqual({ ok: true });
  });

  it("refuses a token issued before the password changed", async () => {
    const user = await signedUpUser();
    const { token } = await resetLinkFor(user.email);
    await user.client.auth.changePassword.mutate({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD });
    const stale = testClient().client.auth.resetPassword.mutate({ token, newPassword: "Yet-Another-Pass-55" });
    expect(await refusalOf(stale)).toMatchObject({ code: "BAD_REQUEST", reason: "token_invalid" });
    await mailTo(user.email, /your password was changed/);
  });

  it("takes a token only for what it was mailed for, and only for its own account", async () => {
    const owner = await signedUpUser();
    const bystander = await signedUpUser();
    await owner.client.auth.requestEmailVerification.mutate();
    const verification = linkIn(await mailTo(owner.email, /confirm your e-mail address/));
    const asReset = testClient().client.auth.resetPassword.mutate({ token: verification.token, newPassword: NEW_PASSWORD });
    expect(await refusalOf(asReset)).toMatchObject({ code: "BAD_REQUEST", reason: "token_invalid" });

    const before = await userRow(bystander.email);
    const { token } = await resetLinkFor(owner.email);
    await testClient().client.auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD });
    expect(await userRow(bystander.email)).toEqual(before);
    expect((await bystander.client.auth.me.query()).email).toBe(bystander.email);
  });

  it("limits guessing tokens per IP", async () => {
    const { client } = testClient({ ip: uniqueIp() });
    const guesses = [];
    for (let i = 0; i < 11; i++) {
      const guess = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
      guesses.push((await refusalOf(client.auth.resetPassword.mutate({ token: guess, newPassword: NEW_PASSWORD })))?.code);
    }
    expect(guesses.slice(0, 10)).toEqual(Array(10).fill("BAD_REQUEST"));
    expect(guesses[10]).toBe("TOO_MANY_REQUESTS");
  });

  it("limits reset mails per address, an admin's like anyone's, from any IP", async () => {
    const admin = await signedUpAdmin();
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await refusalOf(testClient({ ip: uniqueIp() }).client.auth.requestPasswordReset.mutate({ email: admin.email })));
    }
    expect(answers.map((a) => a?.code)).toEqual([undefined, undefined, undefined, "TOO_MANY_REQUESTS"]);
  });

  it("never writes the token to a log line", async () => {
    const lines: string[] = [];
    for (const method of ["log", "warn", "error", "info", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const user = await signedUpUser();
    const { token } = await resetLinkFor(user.email);
    await testClient().client.auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD });
    await refusalOf(testClient().client.auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD }));
    await mailTo(user.email, /your password was changed/);
    expect(lines.some((l) => l.includes("auth.resetPassword"))).toBe(true);
    expect(lines.some((l) => l.includes('"mail.sent"'))).toBe(true);
    expect(lines.join("\n")).not.toContain(token);
  });
});

describe("change of e-mail", () => {
  it("takes effect when the new address opens its link, and tells the old address", async () => {
    const user = await signedUpUser();
    const newEmail = uniqueEmail("new");
    expect(await user.client.auth.changeEmail.mutate({ newEmail, password: STRONG_PASSWORD })).toEqual({ ok: true });
    expect((await user.client.auth.me.query()).email).toBe(user.email);
    const { url, token } = linkIn(await mailTo(newEmail, /confirm your new e-mail address/));
    expect(url.pathname).toBe("/verify-email");
    expect(await testClient().client.auth.verifyEmail.mutate({ token })).toEqual({ email: newEmail, emailVerified: true });
    expect(await user.client.auth.me.query()).toMatchObject({ email: newEmail, emailVerified: true });
    const notice = await mailTo(user.email, /your e-mail address was changed/);
    expect(notice.text).toContain(newEmail);
    await testClient().client.auth.login.mutate({ email: newEmail, password: STRONG_PASSWORD });
  });

  it("refuses a wrong password", async () => {
    const user = await signedUpUser();
    const call = user.client.auth.changeEmail.mutate({ newEmail: uniqueEmail(), password: "Not-The-Password-1" });
    expect(await refusalOf(call)).toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses an address that belongs to someone else", async () => {
    const user = await signedUpUser();
    const other = await signedUpUser();
    const call = user.client.auth.changeEmail.mutate({ newEmail: other.email, password: STRONG_PASSWORD });
    expect(await refusalOf(call)).toMatchObject({ code: "CONFLICT", reason: "email_taken" });
  });

  it("refuses the link when the address was taken after it was sent", async () => {
    const user = await signedUpUser();
    const newEmail = uniqueEmail("contested");
    await user.client.auth.changeEmail.mutate({ newEmail, password: STRONG_PASSWORD });
    const { token } = linkIn(await mailTo(newEmail, /confirm your new e-mail address/));
    await testClient().client.auth.signup.mutate({ email: newEmail, password: STRONG_PASSWORD, name: "First" });
    expect(await refusalOf(testClient().client.auth.verifyEmail.mutate({ token }))).toMatchObject({
      code: "CONFLICT",
      reason: "email_taken",
    });
    expect((await user.client.auth.me.query()).email).toBe(user.email);
  });
});
