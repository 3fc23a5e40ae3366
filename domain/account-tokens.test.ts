// The account-token rules as a table: which stored tokens a presented link may still use.
import { describe, expect, it } from "vitest";
import {
  ACCOUNT_TOKEN_PATTERN,
  ACCOUNT_TOKEN_TTL_MS,
  accountTokenProblem,
  hashAccountToken,
  newAccountToken,
  passwordFingerprint,
  type StoredAccountToken,
} from "./account-tokens";

const NOW = 1_800_000_000_000;
const account = { email: "ada@example.test", passwordFingerprint: "fp-current" };
const reset: StoredAccountToken = {
  purpose: "reset_password",
  email: account.email,
  expiresAt: NOW + 1,
  usedAt: null,
  passwordFingerprint: "fp-current",
};
const verify: StoredAccountToken = { ...reset, purpose: "verify_email", passwordFingerprint: null };
const change: StoredAccountToken = { ...verify, purpose: "change_email", email: "new@example.test" };

describe("accountTokenProblem", () => {
  it.each([
    ["a live reset token", reset, ["reset_password"], null],
    ["a used one", { ...reset, usedAt: NOW - 5 }, ["reset_password"], "token_invalid"],
    ["one of another purpose", verify, ["reset_password"], "token_invalid"],
    ["a reset token from before a password change", { ...reset, passwordFingerprint: "fp-old" }, ["reset_password"], "token_invalid"],
    ["a reset token at its expiry", { ...reset, expiresAt: NOW }, ["reset_password"], "token_expired"],
    ["a used token past its expiry", { ...reset, expiresAt: NOW - 1, usedAt: NOW - 2 }, ["reset_password"], "token_invalid"],
    ["a verification of the current address", verify, ["verify_email", "change_email"], null],
    ["a verification of an address the account left", { ...verify, email: "old@example.test" }, ["verify_email"], "token_invalid"],
    ["a change to a new address", change, ["verify_email", "change_email"], null],
    ["a change token at its expiry", { ...change, expiresAt: NOW }, ["change_email"], "token_expired"],
  ] as const)("%s: %s", (_, token, purposes, problem) => {
    expect(accountTokenProblem(token, purposes, account, NOW)).toBe(problem);
  });
});

describe("account tokens", () => {
  it("are 32 random bytes in base64url, different each time", () => {
    const token = newAccountToken();
    expect(token).toMatch(ACCOUNT_TOKEN_PATTERN);
    expect(newAccountToken()).not.toBe(token);
    expect(ACCOUNT_TOKEN_PATTERN.test(`${token}A`)).toBe(false);
    expect(ACCOUNT_TOKEN_PATTERN.test(token.slice(1))).toBe(false);
  });

  it("are kept as a SHA-256 hash with a purpose label, never as themselves", async () => {
    // SHA-256 of "account-token\nabc" and of "password-binding\nabc", computed with Node's crypto.
    expect(await hashAccountToken("abc")).toBe("48a4aabb652ea885878938951a08696beefc1b665be90a9bc1b564f996dc0cbe");
    expect(await passwordFingerprint("abc")).toBe("b34547bdee34112d5aef39ad6c80b31e838c8f76bb8da71424853743ad22184b");
  });

  it("live 30 minutes for a reset and a day for a verification", () => {
    expect(ACCOUNT_TOKEN_TTL_MS).toEqual({ reset_password: 30 * 60_000, verify_email: 24 * 3_600_000, change_email: 24 * 3_600_000 });
  });
});
