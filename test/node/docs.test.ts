// The documents stay true without a server: every code block's fate in the doc test is clear,
// every link to a file, a function or a section resolves, the README's walk-through passes what
// `npm test` checks of a root-level tour.ts (Prettier, ESLint, tsc), and no document a user reads
// cites our internal work-item numbers. Running the commands themselves: `npm run test:docs`.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ESLint } from "eslint";
import * as prettier from "prettier";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  blockProblem,
  declares,
  headingSlugs,
  LINK_DOCUMENTS,
  readBlocks,
  readLinks,
  ROOT,
  RUN_DOCUMENTS,
  type Block,
} from "../../scripts/doc-blocks.ts";

const savedFiles = (): (Block & { directive: { kind: "file"; name: string } })[] =>
  RUN_DOCUMENTS.flatMap((d) => readBlocks(d)).filter(
    (b): b is Block & { directive: { kind: "file"; name: string } } => b.directive.kind === "file",
  );

/** Why a link does not resolve, or null. `path#symbol` on code names a top-level declaration. */
function linkProblem(document: string, target: string): string | null {
  const [path = "", anchor] = target.split("#", 2);
  const file = path === "" ? join(ROOT, document) : join(ROOT, dirname(document), decodeURI(path));
  if (!file.startsWith(ROOT)) return "points outside the repository";
  if (!existsSync(file)) return `no file ${relative(ROOT, file)}`;
  if (!anchor) return null;
  if (statSync(file).isDirectory()) return "an anchor on a directory";
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".md")) return headingSlugs(text).has(anchor) ? null : `no heading #${anchor} in ${relative(ROOT, file)}`;
  if (/\.(ts|tsx|js|mjs)$/.test(file)) return declares(text, anchor) ? null : `${relative(ROOT, file)} declares no ${anchor}`;
  return `an anchor on ${relative(ROOT, file)}, which has none`;
}

describe("documents: code blocks", () => {
  it("every shell and TypeScript block is run, saved or skipped with a reason", () => {
    const problems = RUN_DOCUMENTS.flatMap((d) =>
      readBlocks(d).flatMap((b) => (blockProblem(b) ? [`${d}:${b.line}: ${blockProblem(b)}`] : [])),
    );
    expect(problems).toEqual([]);
    // The README's walk-through is among the saved files (the check below would pass vacuously without it).
    expect(savedFiles().map((b) => `${b.document}:${b.directive.name}`)).toContain("README.md:tour.ts");
  });

  it("flags a TypeScript block with no fate and a skip without a reason", () => {
    const md = "```ts\nconst a = 1;\n```\n<!-- doc-test: skip: -->\n```sh\necho hi\n```\n";
    expect(readBlocks("x.md", md).map(blockProblem)).toEqual([
      "a TypeScript block must be saved (<!-- doc-test: file x.ts -->) or skipped with a reason",
      'unreadable doc-test comment "skip:" (use "skip: <why>" or "file <name>.ts")',
    ]);
  });
});

describe("documents: links", () => {
  it("every relative link names a file, a declared function or a heading that exists", () => {
    const links = LINK_DOCUMENTS.flatMap((d) => readLinks(d));
    const broken = links.flatMap((l) => {
      const problem = linkProblem(l.document, l.target);
      return problem ? [`${l.document}:${l.line}: (${l.target}) ${problem}`] : [];
    });
    expect(broken).toEqual([]);
    // The guide links code by `path#symbol`; without such links this check would be empty.
    expect(links.filter((l) => /\.ts#\w+$/.test(l.target)).length).toBeGreaterThan(20);
  });

  it("refuses a missing file, a symbol the file does not declare, and a missing heading", () => {
    expect(linkProblem("README.md", "worker/app.ts#buildApp")).toBeNull();
    expect(linkProblem("README.md", "worker/app.ts#buildApplication")).toBe("worker/app.ts declares no buildApplication");
    expect(linkProblem("README.md", "worker/nope.ts")).toBe("no file worker/nope.ts");
    expect(linkProblem("docs/guide.md", "../README.md#payments")).toBeNull();
    expect(linkProblem("docs/guide.md", "../README.md#paymentz")).toBe("no heading #paymentz in README.md");
  });
});

describe("documents: the walk-through as a reader saves it", () => {
  it("is formatted as `npm test`'s Prettier check wants a root-level file", async () => {
    for (const block of savedFiles()) {
      const filepath = join(ROOT, block.directive.name);
      const options = { ...(await prettier.resolveConfig(filepath)), filepath };
      expect(await prettier.check(block.text, options), `${block.document}:${block.line} (npx prettier --write it)`).toBe(true);
    }
  });

  it("passes ESLint's type-checked rules and tsc against the API's current types", { timeout: 180_000 }, async () => {
    // A reader's root tour.ts takes its types from the built client (client/dist/index.d.ts), which
    // a fresh clone lacks; its source (the same AppRouter) is checked here instead, as a file of the
    // Worker project, where @storefront/client resolves to client/src.
    // The project service lints only files on disk, so the block is written for the check's length.
    for (const block of savedFiles()) {
      const file = join(ROOT, "test", `doc-${block.directive.name.replace(/\.ts$/, "")}.generated.ts`);
      writeFileSync(file, block.text);
      try {
        const [result] = await new ESLint({ cwd: ROOT }).lintFiles([file]);
        const messages = (result?.messages ?? []).map(
          (m) => `${block.directive.name}:${m.line}:${m.column} ${m.ruleId ?? ""} ${m.message}`,
        );
        expect(messages, `${block.document}:${block.line}`).toEqual([]);

        const config = ts.getParsedCommandLineOfConfigFile(
          join(ROOT, "tsconfig.json"),
          {},
          { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
        );
        if (!config) throw new Error("tsconfig.json could not be read");
        const program = ts.createProgram([file], config.options);
        const errors = ts
          .getPreEmitDiagnostics(program, program.getSourceFile(file))
          .map((d) => `${block.directive.name}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
        expect(errors, `${block.document}:${block.line}`).toEqual([]);
      } finally {
        rmSync(file, { force: true });
      }
    }
  });
});

describe("documents a user reads", () => {
  it("cite no internal work-item numbers (they name the capability; git keeps the history)", () => {
    const files = execFileSync("git", ["ls-files", "*.md", "*.ts", "*.tsx", "*.toml", "*.mjs", "*.js"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => f !== "" && existsSync(join(ROOT, f)));
    const cited = files.flatMap((f) =>
      readFileSync(join(ROOT, f), "utf8")
        .split("\n")
        .flatMap((line, i) => (/\bissues?[\s-]+\d/i.test(line) ? [`${f}:${i + 1}: ${line.trim().slice(0, 100)}`] : [])),
    );
    expect(cited).toEqual([]);
  });
});
