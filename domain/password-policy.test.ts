import { describe, expect, it } from "vitest";
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_PROBLEM_MESSAGE, PASSWORD_RULES, passwordProblem } from "./password-policy";

// The list's entries that mix two kinds of character (the others are refused as one kind anyway).
const COMMON = [
  "123456789a",
  "1q2w3e4r5t",
  "password123",
  "password1234",
  "iloveyou123",
  "qwerty123456",
  "1234567890a",
  "a1234567890",
  "abc1234567",
  "1qaz2wsx3edc",
  "qwertyuiop123",
  "password12",
  "passw0rd123",
  "welcome123",
  "letmein123",
  "football123",
  "baseball123",
  "superman123",
  "princess123",
  "sunshine123",
  "monkey12345",
  "dragon12345",
  "master12345",
  "trustno1234",
  "starwars123",
  "zaq12wsxcde",
  "qazwsxedc123",
  "q1w2e3r4t5",
  "q1w2e3r4t5y6",
  "1q2w3e4r5t6y",
  "asdfghjkl1",
  "zxcvbnm123",
  "admin12345",
  "admin123456",
  "changeme123",
  "p@ssw0rd123",
  "p@ssword123",
  "password!1",
  "qwerty12345",
  "computer123",
  "michael1234",
  "jennifer123",
  "whatever123",
  "charlie1234",
  "liverpool123",
  "chocolate1",
  "aa12345678",
];

describe("password policy", () => {
  it("wants 10 to 128 characters", () => {
    expect([PASSWORD_MIN, PASSWORD_MAX]).toEqual([10, 128]);
    expect(passwordProblem("Abcdefgh1")).toBe("too_short");
    expect(passwordProblem("")).toBe("too_short");
    expect(passwordProblem("Abcdefgh12")).toBeNull();
    expect(passwordProblem(`A${"b".repeat(127)}`)).toBeNull();
    expect(passwordProblem(`A${"b".repeat(128)}`)).toBe("too_long");
  });

  it.each([
    ["lower-case only", "abcdefghijk"],
    ["upper-case only", "ABCDEFGHIJK"],
    ["digits only", "31415926535"],
    ["symbols only", "!@#$%^&*()-"],
  ])("refuses %s as one kind of character", (_, password) => expect(passwordProblem(password)).toBe("one_class"));

  it.each([
    ["lower and upper", "abcdefghiK"],
    ["lower and digit", "abcdefghi7"],
    ["upper and digit", "ABCDEFGHI7"],
    ["upper and symbol", "ABCDEFGHI!"],
    ["digit and symbol", "314159265!"],
    ["lower and a space", "correct horse"],
  ])("accepts %s", (_, password) => expect(passwordProblem(password)).toBeNull());

  it.each(COMMON)("refuses the common password %s, whatever its case", (password) => {
    expect(passwordProblem(password)).toBe("common");
    expect(passwordProblem(password.toUpperCase())).toBe("common");
  });

  it("says what to do about each problem", () => {
    expect(PASSWORD_PROBLEM_MESSAGE).toEqual({
      too_short: "Use at least 10 characters.",
      too_long: "Use at most 128 characters.",
      one_class: "Mix at least two kinds of character (lower-case, upper-case, digits, symbols).",
      common: "This password is too common; choose another.",
    });
  });

  it("states the rules in one sentence for the API's documentation", () => {
    expect(PASSWORD_RULES).toBe(
      "10 to 128 characters, mixing at least two kinds (lower-case, upper-case, digits, symbols), and not one of the most common passwords.",
    );
  });
});
