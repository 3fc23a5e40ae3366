// Unit tests of what each declared rate-limit rule counts; the limits themselves are tested
// through HTTP in test/rate-limit.test.ts.
import { describe, expect, it } from "vitest";
import { subjectOf } from "./rate-limit";

const rule = (key: "ip" | "user") => ({ key, limit: 10, windowSeconds: 60 });
const signedIn = { ip: "203.0.113.7", user: { id: "user-1" } };
const anonymous = { ip: "203.0.113.8", user: null };

describe("rate-limit subjects", () => {
  it("counts per IP the caller's address, signed in or not", () => {
    expect(subjectOf(rule("ip"), signedIn)).toBe("203.0.113.7");
    expect(subjectOf(rule("ip"), anonymous)).toBe("203.0.113.8");
  });

  it("counts per user the signed-in user", () => {
    expect(subjectOf(rule("user"), signedIn)).toBe("user-1");
  });

  it("refuses, rather than skips, a per-user rule for an anonymous caller", () => {
    expect(() => subjectOf(rule("user"), anonymous)).toThrow(expect.objectContaining({ code: "UNAUTHORIZED" }));
  });
});
