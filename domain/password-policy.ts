// What a new password must be: long enough, not of one character class, not a well-known one.
export const PASSWORD_MIN = 10;
// Bounded so that hashing cost stays fixed; a longer one is refused at validation (400).
export const PASSWORD_MAX = 128;

// The most common passwords of at least PASSWORD_MIN characters in public breach corpora.
const COMMON = new Set([
  "1234567890",
  "123456789a",
  "qwertyuiop",
  "1q2w3e4r5t",
  "password123",
  "password1234",
  "iloveyou123",
  "qwerty123456",
  "1234567890a",
  "a1234567890",
  "abcdefghij",
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
  "administrator",
  "admin12345",
  "admin123456",
  "changeme123",
  "p@ssw0rd123",
  "p@ssword123",
  "password!1",
  "qwerty12345",
  "11111111111",
  "0987654321",
  "9876543210",
  "computer123",
  "michael1234",
  "jennifer123",
  "whatever123",
  "charlie1234",
  "liverpool123",
  "chocolate1",
  "aa12345678",
]);

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

export type PasswordProblem = "too_short" | "too_long" | "one_class" | "common";

export function passwordProblem(password: string): PasswordProblem | null {
  if (password.length < PASSWORD_MIN) return "too_short";
  if (password.length > PASSWORD_MAX) return "too_long";
  if (CLASSES.filter((re) => re.test(password)).length < 2) return "one_class";
  if (COMMON.has(password.toLowerCase())) return "common";
  return null;
}

export const PASSWORD_PROBLEM_MESSAGE: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN} characters.`,
  too_long: `Use at most ${PASSWORD_MAX} characters.`,
  one_class: "Mix at least two kinds of character (lower-case, upper-case, digits, symbols).",
  common: "This password is too common; choose another.",
};

/** The rules above in one sentence, for the API's documentation. */
export const PASSWORD_RULES =
  `${PASSWORD_MIN} to ${PASSWORD_MAX} characters, mixing at least two kinds (lower-case, upper-case, digits, symbols), ` +
  "and not one of the most common passwords.";
