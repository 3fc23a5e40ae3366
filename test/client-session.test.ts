// The client's session refresh as callers outside its links use it: refreshSession joins the
// refresh in flight, and refreshLock makes clients that share one refresh token take turns.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createClientWithSession, type AuthTokens, type ClientOptions } from "@storefront/client";
import { errorCode, signedUpUser, uniqueIp } from "./helpers/client";
import { accessTokenAt, familyOf } from "./helpers/tokens";

/** The status of every auth.refresh the API answered, in order. */
function refreshLog() {
  const statuses: number[] = [];
  const fetch: ClientOptions["fetch"] = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const response = await SELF.fetch(request);
    if (new URL(request.url).pathname.includes("auth.refresh")) statuses.push(response.status);
    return response;
  };
  return { statuses, fetch };
}

/** A signed-up user whose access token has expired, and what is needed to build clients for them. */
async function userWithExpiredToken() {
  const { session, user } = await signedUpUser();
  const tokens = session.tokens!;
  const expired = await accessTokenAt(user.id, familyOf(tokens.accessToken), Date.now() - 20 * 60 * 1000);
  return { user, refreshToken: tokens.refreshToken, expired: expired.token };
}

/** A client for a holder of the shared refresh token, with its own access token. */
function holder(shared: { refreshToken: string }, accessToken: string, options: Partial<ClientOptions>) {
  const own = { accessToken };
  const made = createClientWithSession({
    url: "http://storefront.test/trpc",
    headers: { "cf-connecting-ip": uniqueIp() },
    getAccessToken: () => own.accessToken,
    getRefreshToken: () => shared.refreshToken,
    onTokens: (tokens: AuthTokens) => {
      own.accessToken = tokens.accessToken;
      shared.refreshToken = tokens.refreshToken;
    },
    ...options,
  });
  return { ...made, own };
}

/** A lock as a browser's Web Locks give one: each run starts after the previous one settled. */
function sharedLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(run: () => Promise<T>): Promise<T> => {
    const result = tail.then(run);
    tail = result.catch(() => undefined);
    return result;
  };
}

describe("the client's session refresh", () => {
  it("refreshSession joins the refresh in flight: concurrent callers present the refresh token once", async () => {
    const { user, refreshToken, expired } = await userWithExpiredToken();
    const log = refreshLog();
    const shared = { refreshToken };
    const { client, refreshSession, own } = holder(shared, expired, { fetch: log.fetch });
    expect(await Promise.all([refreshSession(), refreshSession()])).toEqual([true, true]);
    expect(log.statuses).toEqual([200]);
    // A call that finds its token expired while a caller outside the links refreshes: no refresh refused.
    own.accessToken = expired;
    const [me, refreshed] = await Promise.all([client.auth.me.query(), refreshSession()]);
    expect([me.id, refreshed]).toEqual([user.id, true]);
    expect(log.statuses.filter((status) => status !== 200)).toEqual([]);
    // The family lives on: the newest refresh token still rotates.
    expect(await errorCode(client.auth.refresh.mutate({ refreshToken: shared.refreshToken }))).toBeUndefined();
  });

  it("refreshSession resolves false once the session is over", async () => {
    const { refreshToken, expired } = await userWithExpiredToken();
    const log = refreshLog();
    const { client, refreshSession } = holder({ refreshToken }, expired, { fetch: log.fetch });
    await client.auth.refresh.mutate({ refreshToken }); // rotated elsewhere: ours is now a reused token
    expect(await refreshSession()).toBe(false);
    expect(await errorCode(client.auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("with a shared refreshLock, two clients of one refresh token refreshing at once both stay signed in", async () => {
    const { user, refreshToken, expired } = await userWithExpiredToken();
    const log = refreshLog();
    const shared = { refreshToken };
    const refreshLock = sharedLock();
    const tabs = [holder(shared, expired, { fetch: log.fetch, refreshLock }), holder(shared, expired, { fetch: log.fetch, refreshLock })];
    const answers = await Promise.all(tabs.map(({ client }) => client.auth.me.query()));
    expect(answers.map((me) => me.id)).toEqual([user.id, user.id]);
    // One after the other, each with the token the previous one received: none refused.
    expect(log.statuses).toEqual([200, 200]);
    expect(await errorCode(tabs[0]!.client.auth.refresh.mutate({ refreshToken: shared.refreshToken }))).toBeUndefined();
  });
});
