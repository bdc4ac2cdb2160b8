/**
 * The JavaScript/TypeScript kernel driver, run as `node -e DRIVER`. Each context is one vm context inside this
 * process, so top-level declarations persist across executions like in a REPL; the completion value of the cell is
 * the main result. TypeScript is stripped with node's own stripTypeScriptTypes. Cells using top-level `await` run
 * in an async wrapper: then `const`/`let`/`var` at the start of a line are hoisted to globals so they persist, and
 * the last line's expression, if it is one, is returned.
 */
export const JS_DRIVER = String.raw`
'use strict';
const fs = require('node:fs');
const vm = require('node:vm');
const util = require('node:util');
const readline = require('node:readline');
const nodeModule = require('node:module');
const path = require('node:path');

const typescript = process.argv.includes('--typescript');
const emit = (obj) => fs.writeSync(3, JSON.stringify(obj) + '\n');
const fmt = (args) => util.formatWithOptions({ colors: false }, ...args) + '\n';
const userConsole = {
  log: (...a) => emit({ type: 'stdout', text: fmt(a) }),
  info: (...a) => emit({ type: 'stdout', text: fmt(a) }),
  debug: (...a) => emit({ type: 'stdout', text: fmt(a) }),
  error: (...a) => emit({ type: 'stderr', text: fmt(a) }),
  warn: (...a) => emit({ type: 'stderr', text: fmt(a) }),
  trace: (...a) => emit({ type: 'stderr', text: fmt(a) }),
  dir: (o) => emit({ type: 'stdout', text: util.inspect(o) + '\n' }),
  table: (o) => emit({ type: 'stdout', text: util.inspect(o) + '\n' }),
};
const cellRequire = nodeModule.createRequire(path.join(process.cwd(), '__cell__.js'));
const sandbox = {
  console: userConsole, require: cellRequire, process, Buffer, URL, URLSearchParams, TextEncoder, TextDecoder,
  setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, queueMicrotask,
  structuredClone, fetch, AbortController, AbortSignal, Headers, Request, Response, FormData, Blob, performance,
  crypto: globalThis.crypto, atob, btoa, module: { exports: {} }, exports: {},
};
sandbox.globalThis = sandbox;
const context = vm.createContext(sandbox);

function display(value) {
  const data = { type: 'result', is_main_result: true };
  if (value && typeof value === 'object' && typeof value.toHTML === 'function') {
    try { data.html = String(value.toHTML()); } catch {}
  }
  data.text = typeof value === 'string' ? value : util.inspect(value, { depth: 4, colors: false });
  emit(data);
}

function asyncWrapper(code) {
  const lines = code.replace(/\s+$/, '').split('\n');
  let last = lines.pop() ?? '';
  const hoisted = lines.map((l) => l.replace(/^(const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/, 'globalThis.$2 ='));
  const statement = /^\s*(const|let|var|function|class|if|for|while|do|switch|try|return|throw|import|export|}|\/\/)/;
  if (last.trim() && !statement.test(last) && !/[{;]\s*$/.test(last.replace(/;\s*$/, '')) ) {
    last = 'return (' + last.replace(/;\s*$/, '') + ');';
  } else {
    last = last.replace(/^(const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/, 'globalThis.$2 =');
  }
  return '(async () => {\n' + hoisted.join('\n') + '\n' + last + '\n})()';
}

async function execute(code) {
  if (typescript) code = nodeModule.stripTypeScriptTypes(code, { mode: 'transform' });
  let script;
  try {
    script = new vm.Script(code, { filename: 'cell' });
  } catch (error) {
    if (!(error instanceof SyntaxError) || !/await/.test(code)) throw error;
    script = new vm.Script(asyncWrapper(code), { filename: 'cell' });
  }
  let value = script.runInContext(context, { breakOnSigint: true });
  if (value && typeof value.then === 'function') value = await value;
  if (value !== undefined) display(value);
}

function reportError(error) {
  const isError = error && typeof error === 'object' && 'stack' in error;
  emit({
    type: 'error',
    name: (isError && error.name) || 'Error',
    value: isError ? String(error.message) : util.inspect(error),
    traceback: isError ? String(error.stack) : util.inspect(error),
  });
}

process.on('SIGINT', () => {});
process.on('unhandledRejection', (error) => emit({ type: 'stderr', text: 'Unhandled rejection: ' + util.inspect(error) + '\n' }));
process.on('uncaughtException', (error) => emit({ type: 'stderr', text: 'Uncaught exception: ' + util.inspect(error) + '\n' }));

const commands = readline.createInterface({ input: fs.createReadStream('', { fd: 4 }) });
let queue = Promise.resolve();
commands.on('line', (line) => {
  queue = queue.then(async () => {
    const req = JSON.parse(line);
    const env = req.env || {};
    const saved = {};
    for (const k of Object.keys(env)) { saved[k] = process.env[k]; process.env[k] = env[k]; }
    try {
      await execute(req.code);
    } catch (error) {
      reportError(error);
    } finally {
      for (const k of Object.keys(saved)) { if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; }
      emit({ type: 'done' });
    }
  });
});
commands.on('close', () => process.exit(0));
emit({ type: 'ready' });
`;
