// Every procedure of the router, read from the router itself, so that a suite which must cover
// them all (the fuzzer, the permission matrix) fails when a new one has no row of its own.
import { appRouter } from "../../router";

export type ProcedureType = "query" | "mutation" | "subscription";

const isProcedureType = (value: unknown): value is ProcedureType => value === "query" || value === "mutation" || value === "subscription";

/** Each procedure's dotted path and type, in the router's order. */
export function routerProcedures(): { path: string; type: ProcedureType }[] {
  const procedures: Record<string, unknown> = appRouter._def.procedures;
  return Object.entries(procedures).map(([path, procedure]) => {
    const type: unknown =
      typeof procedure === "function" && "_def" in procedure && typeof procedure._def === "object" && procedure._def !== null
        ? Reflect.get(procedure._def, "type")
        : undefined;
    if (!isProcedureType(type)) throw new Error(`${path} is not a procedure of a known type`);
    return { path, type };
  });
}

/** The router's procedures a suite has no row for, and the suite's rows that name no procedure. */
export function coverage(rows: Iterable<string>) {
  const paths = routerProcedures().map((p) => p.path);
  const listed = new Set(rows);
  return { missing: paths.filter((p) => !listed.has(p)), unknown: [...listed].filter((p) => !paths.includes(p)) };
}
