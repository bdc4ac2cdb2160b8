/** One connection to an API server and the typed clients over it. */
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig, type KubeConfigSource } from './kubeconfig';
import type { KubeObject } from './objects';
import { ResourceClient } from './resource-client';
import type { ResourceType } from './resource-types';
import { createTransport, type Transport } from './transport';

export class KubeClient {
  readonly transport: Transport;

  constructor(
    readonly config: KubeConfig,
    private readonly fieldManager = 'kruise-agents',
  ) {
    this.transport = createTransport(config);
  }

  static fromSource(source: KubeConfigSource, fieldManager?: string): KubeClient {
    return new KubeClient(loadKubeConfig(source), fieldManager);
  }

  resource<T extends KubeObject>(type: ResourceType<T>): ResourceClient<T> {
    return new ResourceClient(this.transport, type, this.fieldManager);
  }

  close(): void {
    this.transport.close();
  }
}
