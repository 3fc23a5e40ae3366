import { describe, expect, it } from "vitest";
import { DELETED_NAME, deviceStillTrusted, ERASED, isTombstoneEmail, NO_PASSWORD, tombstoneEmail } from "./account";
import { parsePhc } from "./phc";

describe("deviceStillTrusted", () => {
  const createdAt = 1_700_000_000_500;
  it.each([
    ["no account holds the address any more", 1_700_000_100, undefined, false],
    ["issued after the account was created", 1_700_000_100, { createdAt, revokedBefore: null }, true],
    ["issued in the second the account was created", 1_700_000_000, { createdAt, revokedBefore: null }, true],
    ["issued before the account at this address existed", 1_699_999_999, { createdAt, revokedBefore: null }, false],
    ["issued after the last sign-out everywhere", 1_700_000_201, { createdAt, revokedBefore: 1_700_000_200_900 }, true],
    ["issued in the second of the sign-out everywhere", 1_700_000_200, { createdAt, revokedBefore: 1_700_000_200_900 }, false],
    ["issued before the sign-out everywhere", 1_700_000_150, { createdAt, revokedBefore: 1_700_000_200_900 }, false],
  ])("%s → %s", (_, issuedAt, account, trusted) => expect(deviceStillTrusted(issuedAt, account)).toBe(trusted));
});

describe("tombstoneEmail", () => {
  it("is unique per account, in the reserved .invalid domain, and recognisable", () => {
    expect(tombstoneEmail("a")).not.toBe(tombstoneEmail("b"));
    expect(tombstoneEmail("a")).toMatch(/@deleted\.invalid$/);
    expect(isTombstoneEmail(tombstoneEmail("a"))).toBe(true);
    expect(isTombstoneEmail("ada@example.com")).toBe(false);
    expect(isTombstoneEmail("deleted.invalid@example.com")).toBe(false);
  });
});

describe("what a deleted account shows", () => {
  it("is named as deleted, its address lines read as erased, and its password hash is no PHC string", () => {
    expect([DELETED_NAME, ERASED]).toEqual(["Deleted customer", "(erased)"]);
    expect(NO_PASSWORD).toBe("!deleted");
    expect(parsePhc(NO_PASSWORD)).toBeNull();
  });
});
