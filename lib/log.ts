// Structured logs: one JSON object per line, which Workers observability indexes by field.
// Callers pass only what is safe to keep: never passwords, tokens or card data.
export type LogFields = Record<string, unknown>;
export type LogLevel = "info" | "warn" | "error";

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds these fields (e.g. the request id) to every line. */
  child(fields: LogFields): Logger;
}

function write(level: LogLevel, event: string, bound: LogFields, fields: LogFields | undefined): void {
  const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...bound, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export function createLogger(bound: LogFields = {}): Logger {
  return {
    info: (event, fields) => write("info", event, bound, fields),
    warn: (event, fields) => write("warn", event, bound, fields),
    error: (event, fields) => write("error", event, bound, fields),
    child: (fields) => createLogger({ ...bound, ...fields }),
  };
}

/** The process-wide logger with no request bound; per-request code gets a child from its context. */
export const logger = createLogger();

/** An error's message and stack for the logs (the response never carries them). */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? { cause: error.cause.message, causeStack: error.cause.stack } : {};
  return { error: error.message, stack: error.stack, ...cause };
}
