#!/usr/bin/env node
// Run Python code under MicroPython (the WebAssembly port of the npm package
// @micropython/micropython-webassembly-pyscript) with `nnref.scalar` importable.
//
//   node tools/micropython_run.mjs FILE     run FILE
//   node tools/micropython_run.mjs < FILE   run stdin (also with FILE given as "-")
//   NNREF_MICROPYTHON_HEAP_MIB=32 node ...  a larger heap (default 8 MiB)
//
// What the code prints comes out on stdout byte for byte. An uncaught exception prints
// MicroPython's traceback on stderr and exits with 1; `raise SystemExit(n)` exits with n.
// Anything wrong outside Python (the package missing, say) exits with 2.
// The tests in tests/package/test_scalar.py compare this output with CPython's.

import { readFileSync } from "node:fs";

const PACKAGE = "@micropython/micropython-webassembly-pyscript";
// MicroPython's heap, in MiB: 8 holds a graph of some 20 000 Values. A larger heap is not
// free: every garbage collection sweeps all of it (64 MiB runs three times slower).
const HEAP_MIB = Number(process.env.NNREF_MICROPYTHON_HEAP_MIB || 8);

function fail(message) {
  process.stderr.write(`micropython_run: ${message}\n`);
  process.exitCode = 2;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length > 1 || args[0] === "-h" || args[0] === "--help") {
    return fail("usage: node tools/micropython_run.mjs [FILE | -]  (no FILE: read stdin)");
  }
  const source = args.length === 0 || args[0] === "-" ? 0 : args[0]; // 0: stdin's descriptor
  let code;
  try {
    code = readFileSync(source, "utf8");
  } catch (error) {
    return fail(`cannot read ${source === 0 ? "stdin" : source}: ${error.message}`);
  }

  let loadMicroPython;
  try {
    ({ loadMicroPython } = await import(PACKAGE));
  } catch (error) {
    return fail(`cannot load ${PACKAGE} (run \`npm ci\`): ${error.message}`);
  }

  // The port calls back once per byte (linebuffer: false); keep the bytes, write them once.
  const stdout = [];
  const stderr = [];
  const mp = await loadMicroPython({
    heapsize: HEAP_MIB * 1024 * 1024,
    linebuffer: false,
    stdout: (bytes) => stdout.push(...bytes),
    stderr: (bytes) => stderr.push(...bytes),
  });

  // /lib is on MicroPython's sys.path; nnref/__init__.py stays empty so that only the
  // pure-Python module is loaded (the real package imports nothing MicroPython lacks, but
  // its NumPy and PyTorch twins could not run there).
  const scalar = readFileSync(new URL("../nnref/scalar.py", import.meta.url), "utf8");
  mp.FS.mkdirTree("/lib/nnref");
  mp.FS.writeFile("/lib/nnref/__init__.py", "");
  mp.FS.writeFile("/lib/nnref/scalar.py", scalar);

  let status = 0;
  let traceback = "";
  try {
    mp.runPython(code);
  } catch (error) {
    if (error.name !== "PythonError") {
      throw error;
    }
    if (error.type === "SystemExit") {
      // The message ends with "SystemExit: <argument>" (or just "SystemExit").
      const argument = /SystemExit:? ?(.*)\n?$/.exec(error.message)[1];
      if (argument === "" || argument === "None") {
        status = 0;
      } else if (/^-?\d+$/.test(argument)) {
        status = Number(argument) & 0xff;
      } else {
        traceback = `${argument}\n`;
        status = 1;
      }
    } else {
      traceback = error.message;
      status = 1;
    }
  }
  process.stdout.write(Buffer.from(stdout));
  process.stderr.write(Buffer.from(stderr));
  process.stderr.write(traceback);
  process.exitCode = status;
}

main().catch((error) => fail(error && error.stack ? error.stack.split("\n")[0] : String(error)));
