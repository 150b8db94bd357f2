// Renders TeX to MathML with KaTeX at build time, so readers download no math engine.
// Protocol: one JSON object per line on stdin, {"tex": "...", "display": true|false};
// one JSON object per line on stdout, {"html": "..."} or {"error": "..."}.
"use strict";
const katex = require("katex");
const readline = require("node:readline");

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const { tex, display } = JSON.parse(line);
  let reply;
  try {
    reply = { html: katex.renderToString(tex, { displayMode: display, throwOnError: true, output: "mathml" }) };
  } catch (err) {
    reply = { error: String(err.message || err) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
