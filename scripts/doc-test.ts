// `npm run test:docs`: runs the commands of README.md and docs/*.md as a reader would, against a
// fresh local Worker. The Worker is prepared by the reader's own `npm run dev` setup
// (scripts/dev-setup.ts, into its own state directory and vars file) and served by `wrangler dev`
// on port 8791; the documents' `127.0.0.1:8787` is rewritten to it, and `wrangler d1 execute DB
// --local` to its state directory, nothing else. Each document runs in one bash shell
// (`set -euo pipefail`, in .wrangler/doc-test/<document>/, where its saved files are written), so
// a variable set in one block is there in the next. `curl` is wrapped: an
// HTTP status of 400 or more fails the run unless the command's trailing comment announces that
// status (`# 412 …`), and a 5xx always does. Block fates and the shell conventions: doc-blocks.ts.
//
//   npm run test:docs                             build the web app (as npm run dev does), every document
//   npm run test:docs -- --no-build README.md     keep web/dist; only the documents named
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startWranglerDev, type WranglerDev } from "./wrangler-dev.ts";
import { commandsOf, isShell, readBlocks, ROOT, RUN_DOCUMENTS, runnable, blockProblem } from "./doc-blocks.ts";

const PORT = 8791;
const WORK = join(ROOT, ".wrangler/doc-test");
const STATE = join(WORK, "state");
const VARS = join(WORK, "dev.vars");
const ORIGIN = `http://127.0.0.1:${PORT}`;
// What `npm run dev` prints on success: one line per step (.dev.vars, migrations, demo data).
const MAX_SETUP_LINES = 3;

const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" };
// The reader's server is on 8787 with its state in .wrangler/state; this one is on PORT with STATE.
const localise = (text: string) =>
  text
    .replaceAll("127.0.0.1:8787", `127.0.0.1:${PORT}`)
    .replaceAll("localhost:8787", `localhost:${PORT}`)
    .replaceAll(/(wrangler d1 execute DB --local)\b/g, `$1 --persist-to ${STATE}`);

const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith("--"));
const documents = wanted.length > 0 ? RUN_DOCUMENTS.filter((d) => wanted.includes(d)) : RUN_DOCUMENTS;
const problems = documents.flatMap((d) => readBlocks(d).flatMap((b) => (blockProblem(b) ? [`${d}:${b.line}: ${blockProblem(b)}`] : [])));
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });

// 1. The reader's setup, quietly (it once printed 6,000 lines of D1 JSON).
const setup = spawnSync(process.execPath, ["scripts/dev-setup.ts", "--persist-to", STATE, "--vars", VARS], {
  cwd: ROOT,
  env,
  encoding: "utf8",
});
const setupLines = setup.stdout.trim().split("\n");
if (setup.status !== 0) {
  console.error(`doc-test: dev setup failed:\n${setup.stdout}${setup.stderr}`);
  process.exit(1);
}
if (setupLines.length > MAX_SETUP_LINES || setup.stderr.trim() !== "") {
  console.error(
    `doc-test: dev setup should print one line per step, printed ${setupLines.length} (and ${setup.stderr.length} characters on stderr):`,
  );
  console.error(setup.stdout.slice(0, 2000), setup.stderr.slice(0, 2000));
  process.exit(1);
}
console.log(`doc-test: dev setup said:\n  ${setupLines.join("\n  ")}`);

// 2. The Worker with the built app, as `npm run dev` serves it.
if (!args.includes("--no-build") || !existsSync(join(ROOT, "web/dist"))) {
  const build = spawnSync("npm", ["run", "build:web", "--silent"], { cwd: ROOT, env, encoding: "utf8" });
  if (build.status !== 0) {
    console.error(`doc-test: npm run build:web failed:\n${build.stdout}${build.stderr}`);
    process.exit(1);
  }
}
let server: WranglerDev | undefined;
const stop = async () => server?.stop();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stop().then(() => process.exit(130)));

// The start of every document's shell: strict mode and the curl wrapper.
const PRELUDE = readFileSync(join(import.meta.dirname, "doc-test-prelude.sh"), "utf8");

function scriptFor(document: string, dir: string): string {
  const parts = [PRELUDE];
  for (const block of runnable(readBlocks(document))) {
    if (block.directive.kind === "file") {
      writeFileSync(join(dir, block.directive.name), localise(block.text));
      continue;
    }
    if (!isShell(block)) continue;
    for (const command of commandsOf(block)) {
      const at = `${document}:${command.line}`;
      const text = localise(command.text);
      parts.push(
        `DOC_AT='${at}'; DOC_EXPECT='${command.expectStatus ?? ""}'`,
        `cat <<'DOC_COMMAND'\n\n# ${at}\n$ ${text}\nDOC_COMMAND`,
        text,
      );
    }
  }
  return parts.join("\n") + "\n";
}

let failed = false;
try {
  server = await startWranglerDev({ port: PORT, state: STATE, varsFile: VARS, logFile: join(WORK, "wrangler.log"), cwd: ROOT });
  console.log(`doc-test: Worker at ${ORIGIN} (state in ${STATE})`);
  for (const document of documents) {
    const dir = join(WORK, document.replace(/[^\w.-]+/g, "_"));
    mkdirSync(dir, { recursive: true });
    const script = scriptFor(document, dir);
    writeFileSync(join(dir, "run.sh"), script);
    const started = performance.now();
    // One stream, so each command's output follows it in output.txt.
    const run = spawnSync("bash", ["-c", "bash run.sh 2>&1"], { cwd: dir, env, encoding: "utf8", timeout: 300_000 });
    writeFileSync(join(dir, "output.txt"), run.stdout);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (run.status === 0) {
      console.log(`doc-test: ${document}: every command ran (${seconds} s)`);
    } else {
      failed = true;
      console.error(
        `doc-test: ${document} FAILED (exit ${run.status ?? run.signal}); the last of its output (all of it in ${dir}/output.txt):`,
      );
      console.error(run.stdout.slice(-3000));
    }
  }
} catch (error) {
  failed = true;
  console.error(`doc-test: ${String(error)}`);
  console.error(readFileSync(join(WORK, "wrangler.log"), "utf8").slice(-2000));
} finally {
  await stop();
}
process.exit(failed ? 1 : 0);
