// Turns what a shopper types into a safe FTS5 MATCH expression: quoted prefix terms, never raw syntax.

/** Words after this many are ignored: each term is one more index lookup, and eight is a long search already. */
export const MAX_SEARCH_TERMS = 8;

/** Shorter words match whole words only. */
export const MIN_PREFIX_LENGTH = 3;

// A word is a run of letters, digits and private-use characters (the token characters of FTS5's
// unicode61 tokenizer), with combining marks kept inside it. Everything else separates words,
// which is what makes FTS5's own syntax (" * ^ : - ( ) + NEAR/AND/OR/NOT as operators) inert.
const WORD = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{M}\p{Co}]*/gu;

/**
 * The MATCH expression for a search: every word becomes a quoted term, all of them required
 * (FTS5 joins terms by AND). Words of three characters or more match as prefixes (`"stee"*` finds
 * "steel"); shorter ones match only that whole word ("tv", "size 4"): as prefixes they would match
 * a large part of the catalog, and a search ranks every match (BENCHMARKS.md, "Search at scale").
 * A word such as NEAR or OR is only a word inside quotes, and a quote can never reach the
 * expression unescaped. Null when the text holds no searchable word (only punctuation, symbols or
 * emoji): the caller answers with no results rather than with the whole catalog.
 */
export function toMatchExpression(text: string): string | null {
  const words = text.normalize("NFKC").toLowerCase().match(WORD) ?? [];
  const terms = [...new Set(words)].slice(0, MAX_SEARCH_TERMS);
  if (terms.length === 0) return null;
  // Words cannot contain `"`; doubling it anyway keeps the quoting correct if WORD ever changes.
  return terms.map((word) => `"${word.replaceAll('"', '""')}"${[...word].length >= MIN_PREFIX_LENGTH ? "*" : ""}`).join(" ");
}
