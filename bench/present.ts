// A value the benchmark knows is there (an element within bounds, a row its own setup wrote): a
// missing one is a bug in the benchmark, so it stops the run and says what was missing.
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench: missing ${what}`);
  return value;
}
