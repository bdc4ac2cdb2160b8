import { appConfig } from '../../tools/tsup/app.js';

// Keep `node:` specifiers: tsup strips them by default, and `node:sqlite` (kube-lite's storage) only exists with it.
// Third-party packages stay in node_modules (the workspace packages are still bundled, see app.js): the parts `up`
// composes bring CommonJS dependencies (client-node's undici, express) that do not survive an ESM bundle.
export default appConfig({ removeNodeProtocol: false, skipNodeModulesBundle: true });
