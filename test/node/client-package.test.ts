// @storefront/client as a team outside this repository gets it: `npm pack` in client/, the tarball
// unpacked into a scratch TypeScript project in the system's temp directory, its dependencies
// linked from this repository's node_modules (no registry), and a frontend file type-checked
// against the bundled declarations, including lines that must not compile.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "storefront-client-consumer-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Where this repository has a package installed (the client's own node_modules first). */
function installed(name: string): string {
  for (const base of [join(ROOT, "client", "node_modules"), join(ROOT, "node_modules")]) {
    try {
      readFileSync(join(base, name, "package.json"));
      return join(base, name);
    } catch {
      // not in this one
    }
  }
  throw new Error(`${name} is not installed in this repository`);
}

describe("the packed @storefront/client", () => {
  it("installs outside the repository and type-checks a frontend against its bundled types", { timeout: 180_000 }, () => {
    const packed = join(scratch, "pack");
    mkdirSync(packed);
    // prepack builds dist/ (scripts/build-client.ts).
    const [info] = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", packed], {
        cwd: join(ROOT, "client"),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      }),
    ) as { filename: string; files: { path: string }[] }[];
    if (!info) throw new Error("npm pack reported nothing");
    expect(info.files.map((f) => f.path).sort()).toEqual(["README.md", "dist/index.d.ts", "dist/index.js", "package.json"]);

    // "Install" the tarball: unpack it into node_modules, link its dependencies from this repo.
    const project = join(scratch, "frontend");
    const modules = join(project, "node_modules");
    const target = join(modules, "@storefront", "client");
    mkdirSync(target, { recursive: true });
    execFileSync("tar", ["-xzf", join(packed, info.filename), "-C", target, "--strip-components=1"]);
    const manifest = JSON.parse(readFileSync(join(target, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    for (const dependency of [...Object.keys(manifest.dependencies), "typescript"]) {
      mkdirSync(dirname(join(modules, dependency)), { recursive: true });
      symlinkSync(installed(dependency), join(modules, dependency), "dir");
    }
    // What the dependencies need in turn (drizzle-orm and @trpc/client need nothing more to type-check).
    for (const transitive of ["copy-anything", "is-what"]) {
      try {
        symlinkSync(installed(transitive), join(modules, transitive), "dir");
      } catch {
        // not installed here: not needed
      }
    }

    // No server code in the JavaScript: it imports only the client's runtime dependencies.
    const js = readFileSync(join(target, "dist", "index.js"), "utf8");
    const imports = [...js.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]).sort();
    expect(imports).toEqual(["@trpc/client", "@trpc/server/observable", "superjson"]);
    for (const server of ["drizzle", "hono", "argon2", "createContext", "appRouter"]) expect(js).not.toContain(server);
    // The declarations are one file that needs nothing of this repository.
    const dts = readFileSync(join(target, "dist", "index.d.ts"), "utf8");
    expect(dts).not.toMatch(/from ['"]\.\.?\//);
    expect(dts).not.toContain("worker-configuration");

    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "frontend", private: true, type: "module" }));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "esnext",
          moduleResolution: "bundler",
          lib: ["es2024", "dom", "dom.iterable"],
          types: [],
          strict: true,
          noEmit: true,
          // Libraries' own declarations are theirs; ours (dist/index.d.ts) is what we check below.
          skipLibCheck: true,
        },
        include: ["src"],
      }),
    );
    mkdirSync(join(project, "src"));
    cpSync(join(ROOT, "test/node/client-package/usage.ts"), join(project, "src/usage.ts"));
    const tsc = (...args: string[]) =>
      execFileSync(process.execPath, [join(modules, "typescript/bin/tsc"), ...args], { cwd: project, encoding: "utf8", stdio: "pipe" });
    expect(() => tsc("-p", ".")).not.toThrow();
    // skipLibCheck hides errors inside declaration files; check ours on its own, without it.
    writeFileSync(join(project, "src/types-only.ts"), 'export type { AppRouter } from "@storefront/client";\n');
    const strict = (() => {
      try {
        return tsc("-p", ".", "--skipLibCheck", "false", "--noEmit");
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? error);
      }
    })();
    const ours = strict.split("\n").filter((line) => line.includes("@storefront/client"));
    expect(ours).toEqual([]);
    expect(readdirSync(join(target, "dist")).sort()).toEqual(["index.d.ts", "index.js"]);
  });
});
