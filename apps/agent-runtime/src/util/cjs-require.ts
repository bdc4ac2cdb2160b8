/**
 * busboy is CommonJS and `require`s node builtins. When a consumer bundles this package as ESM (our own tsup build,
 * the CLI, the local node), esbuild's require shim finds no `require` and throws "Dynamic require of "stream" is not
 * supported". Providing one before busboy loads fixes every such bundle at once; it is only installed when absent,
 * so CommonJS hosts and unbundled ESM (which never reach the shim) are unaffected.
 */
import { createRequire } from 'node:module';

const scope = globalThis as { require?: NodeJS.Require };
scope.require ??= createRequire(import.meta.url);
