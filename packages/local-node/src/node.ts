/**
 * The local node: the kubelet of the embedded mode. It watches Pods through any Kubernetes API server, binds the
 * unscheduled ones it can take, and runs those bound to it here — each on its own loopback IP, as processes (under
 * bubblewrap when available) or virtually — reporting their status as a kubelet does.
 */
import {
  Informer,
  KubeClient,
  Resources,
  WorkQueue,
  isConflict,
  isNotFound,
  runController,
  type Pod,
  type ReconcileResult,
  type ResourceClient,
} from '@kruise-agents/kube-runtime';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LOCAL_NODE_LABEL, type Isolation } from './constants';
import { bindPod, canBind } from './binding';
import type { ImageMap } from './image-map';
import { IpAllocator } from './ip-allocator';
import { heartbeat, registerNode } from './node-object';
import { defaultDataDir, defaultIpRange, defaultNodeName, loadImageMap, type LocalNodeOptions } from './options';
import { podStatusFor, sameStatus } from './pod-status';
import { PodWorker, graceOf, type PriorContainer } from './pod-worker';
import { chooseIsolation } from './process/bubblewrap';
import { Recovery } from './recovery';
import { KUBELET_BACKOFF } from './restart';
import { ProcessRuntime, VirtualRuntime, type ContainerRuntime } from './runtime';
import { containerLogFile, podDirectory, removePodDirectory, writePodRecord } from './state-store';
import { FifoStock } from './logs/fifo-stock';
import { LogWriters } from './logs/log-pipes';
import { startLogServer, type LogServer } from './logs/log-server';
import { rfc3339 } from './time';

export interface LocalNode {
  readonly name: string;
  readonly mode: 'process' | 'virtual';
  /** How containers are isolated: bubblewrap, none, or virtual. */
  readonly isolation: Isolation;
  readonly dataDir: string;
  /** Whether a Node object was registered (the API server serves nodes). */
  readonly registered: boolean;
  /** The port of the node's log endpoint on 127.0.0.1 (status.daemonEndpoints.kubeletEndpoint.Port of its Node). */
  readonly kubeletPort: number;
  /** Stops watching and stops every container (SIGTERM, then SIGKILL); pods stay as they are in the API. */
  close(): Promise<void>;
}

export async function startLocalNode(options: LocalNodeOptions = {}): Promise<LocalNode> {
  const node = new NodeRunner(options);
  await node.start();
  return node;
}

const HEARTBEAT_MS = 30_000;

class NodeRunner implements LocalNode {
  readonly name: string;
  readonly mode: 'process' | 'virtual';
  readonly dataDir: string;
  registered = false;
  private readonly client: KubeClient;
  private readonly pods: ResourceClient<Pod>;
  private readonly informer: Informer<Pod>;
  private readonly queue = new WorkQueue<string>({ baseDelayMs: 50, maxDelayMs: 30_000 });
  private readonly workers = new Map<string, PodWorker>();
  /** Our last written copy of each pod, newer than the informer's until the watch catches up. */
  private readonly latest = new Map<string, Pod>();
  private readonly ips: IpAllocator;
  private readonly labels: Record<string, string>;
  private readonly abort = new AbortController();
  private readonly runtime: ContainerRuntime;
  /** Process mode: the FIFOs the containers' log pipes are made from. */
  private readonly fifos?: FifoStock;
  private readonly log: (line: string) => void;
  private images!: ImageMap;
  private recovery!: Recovery;
  private controller?: Promise<void>;
  private heartbeatTimer?: NodeJS.Timeout;
  private closing?: Promise<void>;
  private logServer?: LogServer;
  private readonly onExit = () => {
    for (const worker of this.workers.values()) worker.killAll();
  };

  constructor(private readonly options: LocalNodeOptions) {
    this.name = options.nodeName ?? defaultNodeName();
    this.mode = options.mode ?? 'process';
    this.dataDir = options.dataDir ?? defaultDataDir(this.name);
    this.log = options.log ?? (() => undefined);
    const source = options.kubeconfig;
    this.client = KubeClient.fromSource(
      source && 'yaml' in source ? { kubeconfigYaml: source.yaml } : source ? { kubeconfigPath: source.path } : {},
      `local-node/${this.name}`,
    );
    this.pods = this.client.resource(Resources.Pod);
    this.informer = new Informer({
      client: this.pods,
      transform: (pod) => {
        delete (pod.metadata as { managedFields?: unknown }).managedFields;
        return pod;
      },
      onError: (error) => this.log(`pod watch: ${String(error)}`),
    });
    this.ips = new IpAllocator(options.ipRange ?? defaultIpRange(this.mode, this.name, this.dataDir));
    this.labels = {
      'kubernetes.io/hostname': this.name,
      'kubernetes.io/os': process.platform,
      [LOCAL_NODE_LABEL]: 'true',
      ...options.labels,
    };
    if (this.mode === 'process') this.fifos = new FifoStock(path.join(this.dataDir, 'fifo-stock'));
    this.runtime = this.fifos
      ? new ProcessRuntime(chooseIsolation(options.isolation ?? 'auto'), new LogWriters(this.fifos))
      : new VirtualRuntime();
  }

  get isolation(): Isolation {
    return this.runtime.isolation;
  }

  get kubeletPort(): number {
    return this.logServer?.port ?? 0;
  }

  async start(): Promise<void> {
    try {
      this.images = await loadImageMap(this.options, this.client);
      this.logServer = await startLogServer({
        port: this.options.kubeletPort ?? 0,
        // The API server proxies `kubectl logs` here with its own token: the one this node's kubeconfig holds too.
        token: this.client.config.getCurrentUser()?.token ?? randomBytes(24).toString('base64url'),
        source: {
          pod: (namespace, name) => this.boundPod(namespace, name),
          logFile: (pod, container, run) => this.logFile(pod, container, run),
          isWriting: (file) => this.runtime instanceof ProcessRuntime && this.runtime.logs.isWriting(file),
        },
        log: this.log,
      });
      const endpoint = { kubeletPort: this.logServer.port };
      this.registered = await registerNode(this.client, this.name, this.labels, this.mode, endpoint).catch(
        (error: unknown) => {
          this.log(`node registration failed, running without a Node object: ${String(error)}`);
          return false;
        },
      );
      if (this.registered) {
        this.heartbeatTimer = setInterval(() => {
          heartbeat(this.client, this.name, this.mode, endpoint).catch((error: unknown) =>
            this.log(`heartbeat: ${String(error)}`),
          );
        }, HEARTBEAT_MS);
        this.heartbeatTimer.unref();
      }
      this.informer.start(this.abort.signal);
      await this.informer.waitForSync(this.abort.signal);
      const ours = this.informer.list().filter((p) => p.spec.nodeName === this.name);
      // Pod IPs stay stable across restarts: reserve what our pods already report before handing out any.
      for (const pod of ours) if (pod.status?.podIP) this.ips.reserve(keyOf(pod), pod.status.podIP);
      this.recovery = new Recovery(this.mode === 'process' ? this.dataDir : undefined, this.log);
      this.recovery.scan(ours);
      process.on('exit', this.onExit);
      this.informer.on({
        add: (pod) => this.queue.add(keyOf(pod)),
        update: (_old, pod) => this.queue.add(keyOf(pod)),
        delete: (pod) => this.queue.add(keyOf(pod)),
      });
      this.controller = runController({
        name: `local-node/${this.name}`,
        queue: this.queue,
        reconcile: (key) => this.reconcile(key),
        workers: this.options.concurrency ?? 16,
        signal: this.abort.signal,
        onResult: (key, outcome, _ms, error) => {
          if (outcome === 'error' && !isConflict(error)) this.log(`${key}: ${String(error)}`);
        },
      });
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.abort.abort();
      clearInterval(this.heartbeatTimer);
      await this.controller;
      await this.informer.stopped();
      const grace = this.options.shutdownGraceMs ?? 5000;
      await Promise.all([...this.workers.values()].map((w) => w.terminate(Math.min(grace, graceOf(w.currentPod)))));
      process.off('exit', this.onExit);
      await this.logServer?.close();
      this.fifos?.close();
      this.client.close();
    })();
    return this.closing;
  }

  private async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = splitKey(key);
    const cached = this.informer.get(namespace, name);
    let worker = this.workers.get(key);
    if (!cached) {
      // Gone from the API (deleted at once, or finalized): stop what still runs.
      if (worker) await this.forget(key, worker, 1000);
      return;
    }
    const pod = this.freshest(key, cached);
    if (worker && worker.uid !== pod.metadata.uid) {
      await this.forget(key, worker, 1000); // a new pod with the old one's name
      worker = undefined;
    }
    if (!pod.spec.nodeName) {
      if (this.options.bindUnscheduled !== false && canBind(pod, this.labels))
        await bindPod(this.client, pod, this.name);
      return;
    }
    if (pod.spec.nodeName !== this.name) return;
    if (pod.metadata.deletionTimestamp) return this.deleting(key, pod, worker);
    if (!worker) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return;
      worker = this.createWorker(key, pod, this.recovery.priorFor(pod, this.mode));
    }
    const { wakeMs, starting } = worker.sync(pod);
    await Promise.all(starting);
    await this.writeStatus(key, pod, worker);
    return wakeMs === undefined ? undefined : { requeueAfterMs: wakeMs };
  }

  private async deleting(key: string, pod: Pod, worker: PodWorker | undefined): Promise<void> {
    if (worker && !worker.terminated) {
      if (!worker.terminating) {
        void worker.terminate(graceOf(pod)).then(() => this.queue.add(key));
        await this.writeStatus(key, pod, worker);
      }
      return;
    }
    try {
      await this.pods.delete(pod.metadata.namespace, pod.metadata.name!, {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
    if (worker) await this.forget(key, worker, 0);
  }

  private createWorker(key: string, pod: Pod, prior: PriorContainer[]): PodWorker {
    const namespace = pod.metadata.namespace ?? 'default';
    const uid = pod.metadata.uid ?? '';
    const podIP =
      (pod.status?.podIP && this.ips.reserve(key, pod.status.podIP) && pod.status.podIP) || this.ips.allocate(key);
    const dir = podDirectory(this.dataDir, namespace, pod.metadata.name ?? '', uid);
    const worker: PodWorker = new PodWorker(
      pod,
      podIP,
      dir,
      {
        runtime: this.runtime,
        images: this.images,
        nodeName: this.name,
        nodeBinary: process.execPath,
        hostEnv: process.env,
        backoff: this.options.restartBackoff ?? KUBELET_BACKOFF,
        changed: () => this.queue.add(key),
        persist: () => {
          if (this.mode !== 'process' || this.workers.get(key) !== worker) return;
          writePodRecord(dir, { namespace, name: pod.metadata.name ?? '', uid, podIP, containers: worker.records() });
        },
      },
      prior,
    );
    this.workers.set(key, worker);
    return worker;
  }

  private async forget(key: string, worker: PodWorker, graceMs: number): Promise<void> {
    await worker.terminate(graceMs);
    if (this.workers.get(key) !== worker) return;
    this.workers.delete(key);
    this.latest.delete(key);
    this.ips.release(key);
    if (this.mode === 'process') removePodDirectory(worker.podDir);
  }

  private async writeStatus(key: string, pod: Pod, worker: PodWorker): Promise<void> {
    const status = podStatusFor(pod, worker.observe(rfc3339()));
    if (sameStatus(pod.status, status)) return;
    const updated = await this.pods.updateStatus({ ...pod, status });
    this.latest.set(key, updated);
  }

  /** A pod bound to this node, as fresh as this node knows it (for the log endpoint). */
  private boundPod(namespace: string, name: string): Pod | undefined {
    const cached = this.informer.get(namespace, name);
    if (!cached || cached.spec.nodeName !== this.name) return undefined;
    return this.freshest(`${namespace}/${name}`, cached);
  }

  /** Virtual containers run nothing and write no log: their log is empty. */
  private logFile(pod: Pod, container: string, run: number): string | undefined {
    if (this.mode !== 'process') return undefined;
    const { namespace = 'default', name = '', uid = '' } = pod.metadata;
    return containerLogFile(podDirectory(this.dataDir, namespace, name, uid), container, run);
  }

  /** The informer's copy, or our own last write when the watch has not delivered it yet. */
  private freshest(key: string, cached: Pod): Pod {
    const mine = this.latest.get(key);
    if (!mine || mine.metadata.uid !== cached.metadata.uid) return cached;
    const a = Number(cached.metadata.resourceVersion);
    const b = Number(mine.metadata.resourceVersion);
    return Number.isFinite(a) && Number.isFinite(b) && b > a ? mine : cached;
  }
}

function keyOf(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
