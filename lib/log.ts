// Structured logs: one JSON object per line, which Workers observability indexes by field.
// Callers pass only what is safe to keep: never passwords, tokens or card data.
export type LogFields = Record<string, unknown>;

export function log(level: "info" | "warn" | "error", event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** An error's message and stack for the logs (the response never carries them). */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? { cause: error.cause.message, causeStack: error.cause.stack } : {};
  return { error: error.message, stack: error.stack, ...cause };
}
