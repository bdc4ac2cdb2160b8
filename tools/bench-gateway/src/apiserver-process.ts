/**
 * kube-lite in its own process for the benchmark (as an API server is): writes the kubeconfig to argv[2]. HTTPS as in a
 * cluster; BENCH_PLAIN_HTTP=1 serves plain HTTP, to see what TLS costs.
 */
import fs from 'node:fs';
import { buildAllCustomResourceDefinitions } from '@kruise-agents/api';
import { startApiServer } from '@kruise-agents/kube-lite';

const server = await startApiServer({ crds: buildAllCustomResourceDefinitions(), tls: !process.env.BENCH_PLAIN_HTTP });
fs.writeFileSync(process.argv[2]!, server.kubeconfig);
process.stdout.write('ready\n');
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
