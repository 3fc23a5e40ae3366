// A source-map reader just big enough for the bench's CPU profiles (bench:profile, bench:startup):
// a generated position in the bundle to its original source file and name.
import { present } from "./present.ts";

/** Just enough of a source-map reader: generated (line, column) → original source and name. */
export class SourceMap {
  private lines: Int32Array[] = [];
  private sources: string[];
  private names: string[];
  constructor(json: string) {
    const map = JSON.parse(json) as { sources: string[]; names: string[]; mappings: string };
    this.sources = map.sources;
    this.names = map.names;
    const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let source = 0;
    let name = 0;
    for (const line of map.mappings.split(";")) {
      const segs: number[] = [];
      let column = 0;
      for (const seg of line.split(",")) {
        if (!seg) continue;
        const values: number[] = [];
        let value = 0;
        let shift = 0;
        for (const ch of seg) {
          const digit = B64.indexOf(ch);
          value += (digit & 31) << shift;
          if (digit & 32) shift += 5;
          else {
            values.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        // A segment is 1, 4 or 5 fields: column, then source, original line and column, then name.
        const [dColumn = 0, dSource, , , dName] = values;
        column += dColumn;
        if (dSource !== undefined) source += dSource;
        if (dName !== undefined) name += dName;
        segs.push(column, dSource !== undefined ? source : -1, dName !== undefined ? name : -1);
      }
      this.lines.push(Int32Array.from(segs));
    }
  }
  /** line 1-based, column 0-based, as in source maps. */
  lookup(line: number, column: number): { source: string | null; name: string | null } {
    const segs = this.lines[line - 1];
    if (!segs || segs.length === 0) return { source: null, name: null };
    let lo = 0;
    let hi = segs.length / 3 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (present(segs[mid * 3], "segment column") <= column) lo = mid;
      else hi = mid - 1;
    }
    // -1 (no source or name) finds nothing either.
    const entry = (list: string[], i: number | undefined) => (i === undefined ? null : (list[i] ?? null));
    return { source: entry(this.sources, segs[lo * 3 + 1]), name: entry(this.names, segs[lo * 3 + 2]) };
  }
}
