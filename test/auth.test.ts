import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { errorCode, errorData, signedUpUser, STRONG_PASSWORD, testClient, uniqueEmail } from "./helpers/client";

describe("auth.signup", () => {
  it("creates a customer, normalises the email and returns a working token pair", async () => {
    const { client, session } = testClient();
    const email = uniqueEmail();
    const result = await client.auth.signup.mutate({ email: `  ${email.toUpperCase()} `, password: STRONG_PASSWORD, name: "Ada" });
    expect(result.user).toMatchObject({ email, name: "Ada", role: "customer" });
    expect(result.user.createdAt).toBeInstanceOf(Date);
    expect(result.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now());
    session.tokens = result;
    expect(await client.auth.me.query()).toMatchObject({ id: result.user.id, email });
    const row = await env.DB.prepare("select password_hash from users where id = ?")
      .bind(result.user.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it("refuses an email that is already taken with CONFLICT", async () => {
    const { email } = await signedUpUser();
    const { client } = testClient();
    expect(await errorCode(client.auth.signup.mutate({ email, password: STRONG_PASSWORD, name: "Again" }))).toBe("CONFLICT");
  });

  it.each([
    ["too short", "Ab1-short"],
    ["all one class", "abcdefghijklmnop"],
    ["a common password", "Password123"],
  ])("refuses a weak password (%s) with BAD_REQUEST and a field issue", async (_, password) => {
    const { client } = testClient();
    try {
      await client.auth.signup.mutate({ email: uniqueEmail(), password, name: "Weak" });
      expect.unreachable();
    } catch (error) {
      const data = errorData(error);
      expect(data?.code).toBe("BAD_REQUEST");
      expect(data?.issues?.map((i) => i.path)).toContain("password");
    }
  });
});

describe("auth.login", () => {
  it("signs in with the right password", async () => {
    const { email, user } = await signedUpUser();
    const { client } = testClient();
    const result = await client.auth.login.mutate({ email, password: STRONG_PASSWORD });
    expect(result.user.id).toBe(user.id);
    expect(result.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("gives the same UNAUTHORIZED message for a wrong password and an unknown email", async () => {
    const { email } = await signedUpUser();
    const { client } = testClient();
    const messages: string[] = [];
    for (const attempt of [
      { email, password: "Wrong-password-1" },
      { email: uniqueEmail(), password: STRONG_PASSWORD },
    ]) {
      try {
        await client.auth.login.mutate(attempt);
        expect.unreachable();
      } catch (error) {
        expect(errorData(error)?.code).toBe("UNAUTHORIZED");
        messages.push((error as Error).message);
      }
    }
    expect(messages[0]).toBe(messages[1]);
  });

  it("refuses a password over 128 characters with BAD_REQUEST before hashing it", async () => {
    const { client } = testClient();
    const code = await errorCode(client.auth.login.mutate({ email: uniqueEmail(), password: "x".repeat(200) }));
    expect(code).toBe("BAD_REQUEST");
  });
});
