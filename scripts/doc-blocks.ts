// Reads the documents a user runs commands from (README.md, docs/*.md): their fenced code blocks,
// what the doc test does with each, and their links. Shared by the cheap checks in `npm test`
// (test/node/docs.test.ts) and the run against a live Worker (`npm run test:docs`, scripts/doc-test.ts).
//
// A block's fate is its language plus, optionally, an HTML comment on the line before it, which
// the code host does not render:
//   ```sh / ```bash               run, in order, in one shell per document, against a fresh Worker
//   <!-- doc-test: file tour.ts --> the next block is saved under that name where the shell runs
//   <!-- doc-test: skip: <why> -->  the next block is not run (a deploy step, a fragment); the why is required
// TypeScript blocks must be saved (and then run by a shell block) or skipped. Other languages
// (mermaid, text, json, toml) are not code to run.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..");

/** The documents whose commands the doc test runs and whose links it checks. */
export const RUN_DOCUMENTS = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];

/** Documents whose links are checked too (they are read, not run). */
export const LINK_DOCUMENTS = [...RUN_DOCUMENTS, "DEVELOPERS.md", "SECURITY.md", "BENCHMARKS.md", "client/README.md"];

const SHELL = new Set(["sh", "bash", "shell"]);
const TYPESCRIPT = new Set(["ts", "typescript"]);

export type Directive =
  { kind: "none" } | { kind: "skip"; reason: string } | { kind: "file"; name: string } | { kind: "invalid"; text: string };

export interface Block {
  document: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  directive: Directive;
}

function parseDirective(line: string | undefined): Directive {
  const comment = line === undefined ? null : /^<!--\s*doc-test:\s*(.*?)\s*-->$/.exec(line.trim());
  if (!comment) return { kind: "none" };
  const body = comment[1] ?? "";
  const skip = /^skip:\s*(\S.*)$/.exec(body);
  if (skip?.[1]) return { kind: "skip", reason: skip[1] };
  const file = /^file\s+([\w.-]+\.ts)$/.exec(body);
  if (file?.[1]) return { kind: "file", name: file[1] };
  return { kind: "invalid", text: body };
}

export function readBlocks(document: string, markdown = readFileSync(join(ROOT, document), "utf8")): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] ?? "");
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ""); i++) body.push(lines[i] ?? "");
    blocks.push({
      document,
      line: start + 1,
      lang: open[1] ?? "",
      text: body.join("\n") + "\n",
      directive: parseDirective(lines[start - 1]),
    });
  }
  return blocks;
}

export const isShell = (block: Block) => SHELL.has(block.lang);
export const isTypeScript = (block: Block) => TYPESCRIPT.has(block.lang);

/** Why a block cannot be run or skipped as it stands, or null when its fate is clear. */
export function blockProblem(block: Block): string | null {
  const d = block.directive;
  if (d.kind === "invalid") return `unreadable doc-test comment "${d.text}" (use "skip: <why>" or "file <name>.ts")`;
  if (d.kind === "file" && !isTypeScript(block)) return `"file ${d.name}" names a TypeScript file, but the block is \`${block.lang}\``;
  if (isTypeScript(block) && d.kind === "none")
    return "a TypeScript block must be saved (<!-- doc-test: file x.ts -->) or skipped with a reason";
  return null;
}

/** The shell blocks and saved files of a document that the live run executes, in order. */
export const runnable = (blocks: Block[]) => blocks.filter((b) => b.directive.kind !== "skip" && (isShell(b) || isTypeScript(b)));

/**
 * One shell command per entry: a block split at line ends, joining continuation lines (ending in
 * `\`), without blank lines and comment-only lines. `expectStatus` is the HTTP status a trailing
 * comment announces (`curl … # 412 {"code":…}`): that refusal is what the reader is shown.
 */
export interface Command {
  line: number;
  text: string;
  expectStatus: number | null;
}

export function commandsOf(block: Block): Command[] {
  const commands: Command[] = [];
  const lines = block.text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    let text = lines[i] ?? "";
    while (text.endsWith("\\") && i + 1 < lines.length) text += "\n" + (lines[++i] ?? "");
    if (text.trim() === "" || text.trim().startsWith("#")) continue;
    // A shell comment starts at a `#` after white space; the status is its first word.
    const status = /\s#\s*([1-5]\d\d)\b/.exec(text.split("\n").at(-1) ?? "");
    commands.push({ line: block.line + 1 + first, text, expectStatus: status?.[1] ? Number(status[1]) : null });
  }
  return commands;
}

export interface Link {
  document: string;
  line: number;
  target: string;
}

/** The relative links of a document (`[text](path)`, `[text](path#anchor)`); web links are not ours to check. */
export function readLinks(document: string, markdown = readFileSync(join(ROOT, document), "utf8")): Link[] {
  const links: Link[] = [];
  let fenced = false;
  markdown.split("\n").forEach((line, i) => {
    if (/^```/.test(line)) fenced = !fenced;
    if (fenced) return;
    // Code spans show link syntax rather than link (`[text](path#name)` in DEVELOPERS.md).
    const prose = line.replace(/(`+)[\s\S]*?\1/g, "");
    for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? "";
      if (!/^[a-z]+:/i.test(target)) links.push({ document, line: i + 1, target });
    }
  });
  return links;
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
export const headingSlug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

export function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const slug = headingSlug((heading[1] ?? "").replace(/`/g, ""));
    const n = seen.get(slug) ?? 0;
    slugs.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  return slugs;
}

/** Whether a TypeScript module declares `symbol` at its top level (function, const, class, type…) or re-exports it. */
export function declares(source: string, symbol: string): boolean {
  const name = symbol.replace(/[$]/g, "\\$");
  return (
    new RegExp(
      `^(export\\s+)?(default\\s+)?(declare\\s+)?(async\\s+)?(function\\*?|const|let|class|interface|type|enum)\\s+${name}\\b`,
      "m",
    ).test(source) || new RegExp(`^export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`, "m").test(source)
  );
}
