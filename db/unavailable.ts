// Tells a D1 outage from a refused write or a bug. An outage is marked DatabaseUnavailable (the
// API answers 503, "try again"); constraint violations keep their D1 error for the caller to
// map, and SQL errors stay unexpected (500), so a broken query is never disguised as a blip.
const NOT_AN_OUTAGE = /constraint failed|SQLITE_ERROR|no such (table|column)|syntax error|too many SQL variables/i;

export class DatabaseUnavailable extends Error {
  constructor(cause: unknown) {
    super("D1 is unavailable", { cause });
    this.name = "DatabaseUnavailable";
  }
}

export function asOutage(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  return NOT_AN_OUTAGE.test(message) ? error : new DatabaseUnavailable(error);
}

/** True when a D1 outage is anywhere in the error's cause chain (drizzle wraps D1 errors). */
export function isOutage(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof DatabaseUnavailable) return true;
  return false;
}
