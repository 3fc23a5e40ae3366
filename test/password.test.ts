import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deriveArgon2id, hashPassword, verifyPassword } from "../domain/password-hash";
import { passwordProblem } from "../domain/password-policy";
import { formatPhc, parsePhc } from "../domain/phc";
import { errorCode, signedUpUser, STRONG_PASSWORD, STRONG_PASSWORD_HASH, testClient } from "./helpers/client";

const fill = (length: number, byte: number) => new Uint8Array(length).fill(byte);
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

describe("Argon2id", () => {
  it("matches the RFC 9106 Argon2id test vector (section 5.3)", async () => {
    const tag = await deriveArgon2id(
      fill(32, 1),
      fill(16, 2),
      { memorySize: 32, passes: 3, parallelism: 4, tagLength: 32 },
      {
        secret: fill(8, 3),
        ad: fill(12, 4),
      },
    );
    expect(hex(tag)).toBe("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
  });

  it("stores OWASP's parameters as a PHC string and verifies only the right password", async () => {
    const phc = await hashPassword("Some-password-1");
    expect(parsePhc(phc)?.params).toEqual({ memorySize: 19456, passes: 2, parallelism: 1, tagLength: 32 });
    expect(await verifyPassword("Some-password-1", phc)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword("Some-password-2", phc)).toEqual({ ok: false });
  });

  it("verifies the tests' precomputed hash of their password, with the current parameters", async () => {
    expect(await verifyPassword(STRONG_PASSWORD, STRONG_PASSWORD_HASH)).toEqual({ ok: true, needsRehash: false });
  });

  it("answers a password under 8 bytes (below argon2id's minimum) as wrong instead of throwing", async () => {
    for (const password of ["\u0000", "\u0001", "\u0007", "a", "abc"]) {
      expect(await verifyPassword(password, STRONG_PASSWORD_HASH)).toEqual({ ok: false });
    }
  });

  it("answers a login with a one-character password as a wrong password, not a 500", async () => {
    const { email } = await signedUpUser();
    expect(await errorCode(testClient().client.auth.login.mutate({ email, password: "\u0000" }))).toBe("UNAUTHORIZED");
  });

  it.each([
    ["a huge memory cost", "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["a huge pass count", "$argon2id$v=19$m=19456,t=999,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["another algorithm", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["garbage", "not a hash"],
  ])("refuses a stored hash with %s without deriving", async (_, stored) => {
    expect(parsePhc(stored)).toBeNull();
    expect(await verifyPassword("anything", stored)).toEqual({ ok: false });
  });

  it("rehashes on login when the stored parameters are older than the current ones", async () => {
    const { email, user } = await signedUpUser();
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const weak = { memorySize: 4096, passes: 1, parallelism: 1, tagLength: 32 };
    const old = formatPhc(weak, salt, await deriveArgon2id(new TextEncoder().encode(STRONG_PASSWORD), salt, weak));
    await env.DB.prepare("update users set password_hash = ? where id = ?").bind(old, user.id).run();
    await testClient().client.auth.login.mutate({ email, password: STRONG_PASSWORD });
    const row = await env.DB.prepare("select password_hash from users where id = ?").bind(user.id).first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await verifyPassword(STRONG_PASSWORD, row!.password_hash)).ok).toBe(true);
  });
});

describe("password policy", () => {
  it.each([
    ["short-1A", "too_short"],
    ["alllowercaseletters", "one_class"],
    ["1234567890", "one_class"],
    ["Password123", "common"],
    ["Correct-Horse-42", null],
  ])("%s → %s", (password, problem) => expect(passwordProblem(password)).toBe(problem));
});
