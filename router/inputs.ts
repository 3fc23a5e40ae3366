// Input schemas shared by a procedure and the code that acts on its input before the procedure
// runs (the rate limiter keys on the email exactly as the login reads it).
import * as z from "zod";

/** An email as every procedure stores and compares it: trimmed, lower-cased, at most 254 characters. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: "Enter a valid email address." }))
  // The document shows the input side of the pipe (a string): say what it must be.
  .meta({ format: "email", description: "An email address; surrounding spaces are trimmed and it is stored lower-cased." });
