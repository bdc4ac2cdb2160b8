/**
 * The load side of the benchmark, in a worker thread so it has its own event loop (and core): writers with keep-alive
 * connections, and watchers that timestamp every event they receive.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadRequest {
  url: string;
  token: string;
  namespace: string;
  watchers: number;
  writers: number;
  /** Stop after this long, or after `count` writes. */
  durationMs: number;
  count?: number;
  /** Pause between writes of one writer (0 = as fast as possible). */
  intervalMs: number;
  /** Bytes of payload per object. */
  payloadBytes: number;
  prefix: string;
}

export interface LoadResult {
  writes: number;
  errors: number;
  elapsedMs: number;
  /** Write-sent to event-received, per event per watcher, in ms. */
  latencies: number[];
  eventsReceived: number;
}

const now = () => performance.timeOrigin + performance.now();

async function run(req: LoadRequest): Promise<LoadResult> {
  const { hostname, port } = new URL(req.url);
  const agent = new Agent({ keepAlive: true, maxSockets: req.writers + req.watchers + 4 });
  const headers = { Authorization: `Bearer ${req.token}`, 'Content-Type': 'application/json' };
  const path = `/api/v1/namespaces/${req.namespace}/configmaps`;
  const latencies: number[] = [];
  let eventsReceived = 0;
  const sentAt = new Map<string, number>();

  // Watchers first, from the current revision.
  const list = await new Promise<string>((resolve, reject) => {
    request({ hostname, port, path: `${path}?limit=1`, headers, agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        resolve((JSON.parse(body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion),
      );
    })
      .on('error', reject)
      .end();
  });
  const watches: Array<ReturnType<typeof request>> = [];
  await Promise.all(
    Array.from(
      { length: req.watchers },
      () =>
        new Promise<void>((resolve) => {
          const w = request({ hostname, port, path: `${path}?watch=1&resourceVersion=${list}`, headers }, (res) => {
            let buf = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              const t = now();
              buf += chunk;
              let nl: number;
              while ((nl = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, nl);
                buf = buf.slice(nl + 1);
                // Cheap extraction of the name instead of parsing every event.
                const m = line.match(/"name":"([^"]+)"/);
                const sent = m ? sentAt.get(m[1]!) : undefined;
                if (sent !== undefined) latencies.push(t - sent);
                eventsReceived++;
              }
            });
            resolve();
          });
          w.on('error', () => {});
          w.end();
          watches.push(w);
        }),
    ),
  );

  let writes = 0;
  let errors = 0;
  let seq = 0;
  const payload = 'x'.repeat(req.payloadBytes);
  const start = now();
  const deadline = start + req.durationMs;
  const writeOne = () =>
    new Promise<void>((resolve) => {
      const name = `${req.prefix}-${seq++}`;
      const body = JSON.stringify({ metadata: { name, labels: { bench: 'yes' } }, data: { payload } });
      sentAt.set(name, now());
      const r = request({ hostname, port, path, method: 'POST', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 201) writes++;
          else errors++;
          resolve();
        });
      });
      r.on('error', () => {
        errors++;
        resolve();
      });
      r.end(body);
    });
  await Promise.all(
    Array.from({ length: req.writers }, async () => {
      while (now() < deadline && (req.count === undefined || seq < req.count)) {
        await writeOne();
        if (req.intervalMs > 0) await new Promise((r) => setTimeout(r, req.intervalMs));
      }
    }),
  );
  const elapsedMs = now() - start;
  // Let the last events arrive.
  await new Promise((r) => setTimeout(r, 200));
  for (const w of watches) w.destroy();
  agent.destroy();
  return { writes, errors, elapsedMs, latencies, eventsReceived };
}

if (parentPort) {
  run(workerData as LoadRequest).then(
    (result) => parentPort!.postMessage(result),
    (error: unknown) => parentPort!.postMessage({ error: String(error) }),
  );
}
