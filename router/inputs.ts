// Input schemas shared by a procedure and the code that acts on its input before the procedure
// runs (the rate limiter keys on the email exactly as the login reads it).
import * as z from "zod";
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_PROBLEM_MESSAGE, PASSWORD_RULES, passwordProblem } from "../domain/password-policy";

/** An email as every procedure stores and compares it: trimmed, lower-cased, at most 254 characters. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: "Enter a valid email address." }))
  // The document shows the input side of the pipe (a string): say what it must be.
  .meta({ format: "email", description: "An email address; surrounding spaces are trimmed and it is stored lower-cased." });

/** A password being set: the policy's rules (domain/password-policy.ts). */
export const NewPassword = z
  .string()
  .max(PASSWORD_MAX, PASSWORD_PROBLEM_MESSAGE.too_long)
  .superRefine((password, check) => {
    const problem = passwordProblem(password);
    if (problem) check.addIssue({ code: "custom", message: PASSWORD_PROBLEM_MESSAGE[problem] });
  })
  // The rules live in domain/password-policy.ts; the document states them for REST clients.
  .meta({ minLength: PASSWORD_MIN, description: PASSWORD_RULES });

/** A password being checked: any length up to the bound, so a login neither reveals the current policy nor hashes 1 MB. */
export const AnyPassword = z.string().min(1).max(PASSWORD_MAX);
