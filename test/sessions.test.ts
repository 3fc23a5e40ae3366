import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { decodePart, FORGERIES } from "./helpers/forge";
import { accessTokenAt, familyOf, forged } from "./helpers/tokens";
import { errorCode, signedUpUser, STRONG_PASSWORD, testClient } from "./helpers/client";

const bearer = (token: string) => testClient({ headers: { authorization: `Bearer ${token}` } }).client;

describe("auth.refresh", () => {
  it("rotates the refresh token and kills the old one", async () => {
    const { client, session } = await signedUpUser();
    const first = session.tokens!;
    const second = await client.auth.refresh.mutate({ refreshToken: first.refreshToken });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(familyOf(second.accessToken)).toBe(familyOf(first.accessToken));
    const third = await client.auth.refresh.mutate({ refreshToken: second.refreshToken });
    expect(third.user.id).toBe(first.user.id);
  });

  it("revokes the whole family when a rotated token is presented again", async () => {
    const { client, session } = await signedUpUser();
    const stolen = session.tokens!.refreshToken;
    const legit = await client.auth.refresh.mutate({ refreshToken: stolen });
    expect(await errorCode(client.auth.refresh.mutate({ refreshToken: stolen }))).toBe("UNAUTHORIZED");
    // The legitimate holder's newer token dies with the family, and so does its access token.
    expect(await errorCode(client.auth.refresh.mutate({ refreshToken: legit.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await errorCode(bearer(legit.accessToken).auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("lets exactly one of many concurrent refreshes of the same token win", async () => {
    const { client, session, user } = await signedUpUser();
    const token = session.tokens!.refreshToken;
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.auth.refresh.mutate({ refreshToken: token })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const live = await env.DB.prepare("select count(*) as n from sessions where user_id = ? and revoked_at is null")
      .bind(user.id)
      .first<{ n: number }>();
    // Never two live tokens. A loser that read the token after the winner rotated it counts as
    // reuse and revokes the family, so zero is a correct outcome too.
    expect(live?.n).toBeLessThanOrEqual(1);
  });

  it("accepts the refresh token from the HttpOnly cookie", async () => {
    const { session } = await signedUpUser();
    const { client } = testClient({ headers: { cookie: `sf_refresh=${session.tokens!.refreshToken}` } });
    const next = await client.auth.refresh.mutate();
    expect(next.user.id).toBe(session.tokens!.user.id);
  });

  it("refuses a missing, malformed or unknown refresh token", async () => {
    const { client } = testClient();
    expect(await errorCode(client.auth.refresh.mutate())).toBe("UNAUTHORIZED");
    expect(await errorCode(client.auth.refresh.mutate({ refreshToken: "not-a-token" }))).toBe("UNAUTHORIZED");
    expect(await errorCode(client.auth.refresh.mutate({ refreshToken: "A".repeat(43) }))).toBe("UNAUTHORIZED");
  });

  it("refuses an expired refresh token", async () => {
    const { client, session } = await signedUpUser();
    await env.DB.prepare("update sessions set expires_at = ? where user_id = ?")
      .bind(Date.now() - 1000, session.tokens!.user.id)
      .run();
    expect(await errorCode(client.auth.refresh.mutate({ refreshToken: session.tokens!.refreshToken }))).toBe("UNAUTHORIZED");
  });
});

describe("auth.logout", () => {
  it("revokes the session's refresh family and its access token, and clears the cookie", async () => {
    const { client, session } = await signedUpUser();
    const tokens = session.tokens!;
    await client.auth.logout.mutate();
    expect(await errorCode(bearer(tokens.accessToken).auth.me.query())).toBe("UNAUTHORIZED");
    expect(await errorCode(testClient().client.auth.refresh.mutate({ refreshToken: tokens.refreshToken }))).toBe("UNAUTHORIZED");
  });

  it("refuses an anonymous caller", async () => {
    expect(await errorCode(testClient().client.auth.logout.mutate())).toBe("UNAUTHORIZED");
  });
});

describe("auth.changePassword", () => {
  it("changes the password, keeps this session and revokes every other", async () => {
    const { client, session, email } = await signedUpUser();
    const other = testClient();
    const otherTokens = await other.client.auth.login.mutate({ email, password: STRONG_PASSWORD });
    await client.auth.changePassword.mutate({ currentPassword: STRONG_PASSWORD, newPassword: "Brand-New-Pass-7" });
    expect((await client.auth.me.query()).email).toBe(email);
    expect(await errorCode(bearer(otherTokens.accessToken).auth.me.query())).toBe("UNAUTHORIZED");
    expect(await errorCode(testClient().client.auth.login.mutate({ email, password: STRONG_PASSWORD }))).toBe("UNAUTHORIZED");
    const relogin = await testClient().client.auth.login.mutate({ email, password: "Brand-New-Pass-7" });
    expect(relogin.user.id).toBe(session.tokens!.user.id);
  });

  it("refuses a wrong current password with FORBIDDEN and a weak new one with BAD_REQUEST", async () => {
    const { client } = await signedUpUser();
    expect(await errorCode(client.auth.changePassword.mutate({ currentPassword: "Wrong-pass-123", newPassword: "Brand-New-Pass-7" }))).toBe(
      "FORBIDDEN",
    );
    expect(await errorCode(client.auth.changePassword.mutate({ currentPassword: STRONG_PASSWORD, newPassword: "qwertyuiop" }))).toBe(
      "BAD_REQUEST",
    );
  });
});

describe("access tokens", () => {
  it("refuses an anonymous auth.me with UNAUTHORIZED", async () => {
    expect(await errorCode(testClient().client.auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("refuses an expired token, and the client refreshes once and retries by itself", async () => {
    const { client, session, user } = await signedUpUser();
    const expired = await accessTokenAt(user.id, familyOf(session.tokens!.accessToken), Date.now() - 20 * 60 * 1000);
    expect(await errorCode(bearer(expired.token).auth.me.query())).toBe("UNAUTHORIZED");
    const before = session.tokens!.refreshToken;
    session.tokens = { ...session.tokens!, accessToken: expired.token };
    expect((await client.auth.me.query()).id).toBe(user.id);
    expect(session.tokens.refreshToken).not.toBe(before);
  });

  // Each forgery copies a live session's real token (its kid, iss, aud, typ, sub and sid) and
  // changes one thing, so the check that refuses it is the one the test names.
  it("accepts an unchanged copy of a real token signed again with our secret", async () => {
    const { session, user } = await signedUpUser();
    expect((await bearer(await forged(session.tokens!.accessToken)).auth.me.query()).id).toBe(user.id);
  });

  it("accepts a token expired or not yet valid by less than the 30 s clock skew", async () => {
    const { session, user } = await signedUpUser();
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [{ exp: now - 15 }, { nbf: now + 15 }]) {
      expect((await bearer(await forged(session.tokens!.accessToken, { claims })).auth.me.query()).id).toBe(user.id);
    }
  });

  it.each(FORGERIES)("refuses a token %s", async (_, forgery) => {
    const { session } = await signedUpUser();
    const real = session.tokens!.accessToken;
    const token = await forged(real, forgery(decodePart(real, 1)));
    expect(await errorCode(bearer(token).auth.me.query())).toBe("UNAUTHORIZED");
  });

  it.each(["bearer", "BEARER", "bEaReR", "Bearer  "])("takes the auth scheme written %j (case-insensitive, RFC 9110)", async (scheme) => {
    const { session, user } = await signedUpUser();
    const token = session.tokens!.accessToken;
    const authorization = `${scheme} ${token}`;
    expect((await testClient({ headers: { authorization } }).client.auth.me.query()).id).toBe(user.id);
    const rest = await SELF.fetch("http://storefront.test/api/v1/auth/me", { headers: { authorization } });
    expect(rest.status).toBe(200);
    expect(await rest.json()).toMatchObject({ id: user.id });
    // The plain HTTP routes behind adminOnly authenticate the same way: a customer is known, so 403, not 401.
    const upload = await SELF.fetch("http://storefront.test/uploads/products/none/images", {
      method: "POST",
      headers: { authorization },
      body: "x",
    });
    expect(upload.status).toBe(403);
  });

  it("refuses what is not a JWT at all", async () => {
    for (const token of ["not.a.jwt", "a.b", "", "Bearer"]) {
      expect(await errorCode(bearer(token).auth.me.query())).toBe("UNAUTHORIZED");
    }
  });

  it("refuses a valid token whose user was deleted", async () => {
    const { session, user } = await signedUpUser();
    await env.DB.prepare("delete from users where id = ?").bind(user.id).run();
    expect(await errorCode(bearer(session.tokens!.accessToken).auth.me.query())).toBe("UNAUTHORIZED");
  });
});
