/**
 * A typed client for one resource type. Writes carry the object's resourceVersion, so an update of a stale object
 * fails with a Conflict instead of overwriting someone else's write: the basis of race-safe claiming.
 */
import { KubeApiError } from './errors';
import type { KubeList, KubeObject, WatchEvent } from './objects';
import { apiVersionOf, collectionPath, objectPath, type ResourceType } from './resource-types';
import type { Query, Transport } from './transport';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';
const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  signal?: AbortSignal;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  /** Delete only if the object is still this one (uid) and/or unchanged (resourceVersion). */
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface PatchOptions {
  fieldManager?: string;
  force?: boolean;
  subresource?: 'status' | 'scale';
}

export class ResourceClient<T extends KubeObject> {
  constructor(
    private readonly transport: Transport,
    readonly type: ResourceType<T>,
    private readonly fieldManager = 'kruise-agents',
  ) {}

  get apiVersion(): string {
    return apiVersionOf(this.type);
  }

  get(namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T> {
    return this.transport.request<T>('GET', objectPath(this.type, namespace, name), { signal });
  }

  /** Get, or undefined when it does not exist. */
  async find(namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.get(namespace, name);
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** One page of a list. */
  listPage(namespace: string | undefined, options: ListOptions = {}, signal?: AbortSignal): Promise<KubeList<T>> {
    return this.transport.request<KubeList<T>>('GET', collectionPath(this.type, namespace), {
      query: options as Query,
      signal,
    });
  }

  /** Every item (all pages) and the list's resourceVersion. */
  async list(
    namespace?: string,
    options: Omit<ListOptions, 'continue'> = {},
    signal?: AbortSignal,
  ): Promise<KubeList<T>> {
    const first = await this.listPage(namespace, { limit: 500, ...options }, signal);
    const items = [...first.items];
    let token = first.metadata.continue;
    while (token) {
      const page = await this.listPage(namespace, { ...options, limit: options.limit ?? 500, continue: token }, signal);
      items.push(...page.items);
      token = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  create(object: T, signal?: AbortSignal): Promise<T> {
    return this.transport.request<T>('POST', collectionPath(this.type, object.metadata.namespace), {
      body: this.withTypeMeta(object),
      query: { fieldManager: this.fieldManager },
      signal,
    });
  }

  /** Replaces the object; fails with a Conflict when its resourceVersion is stale. */
  update(object: T, signal?: AbortSignal): Promise<T> {
    return this.transport.request<T>('PUT', this.pathOf(object), {
      body: this.withTypeMeta(object),
      query: { fieldManager: this.fieldManager },
      signal,
    });
  }

  /** Replaces the status subresource; fails with a Conflict when the resourceVersion is stale. */
  updateStatus(object: T, signal?: AbortSignal): Promise<T> {
    return this.transport.request<T>('PUT', `${this.pathOf(object)}/status`, {
      body: this.withTypeMeta(object),
      query: { fieldManager: this.fieldManager },
      signal,
    });
  }

  patch(
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    const path = objectPath(this.type, namespace, name) + (options.subresource ? `/${options.subresource}` : '');
    return this.transport.request<T>('PATCH', path, {
      body: patch,
      contentType: PATCH_CONTENT_TYPE[type],
      query: { fieldManager: options.fieldManager ?? this.fieldManager, force: options.force },
    });
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<void> {
    await this.transport.request('DELETE', objectPath(this.type, namespace, name), {
      body: { apiVersion: 'v1', kind: 'DeleteOptions', ...options },
    });
  }

  /** Delete that treats "already gone" as done. Returns false when there was nothing to delete. */
  async deleteIfExists(namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<boolean> {
    try {
      await this.delete(namespace, name, options);
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false;
      throw error;
    }
  }

  /** A watch stream; ends when the server closes it (timeoutSeconds) or the signal aborts. */
  watch(namespace: string | undefined, options: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    const { signal, ...query } = options;
    return this.transport.stream<WatchEvent<T>>(collectionPath(this.type, namespace), {
      query: { ...(query as Query), watch: true },
      signal,
    });
  }

  private pathOf(object: T): string {
    const name = object.metadata.name;
    if (!name) throw new Error(`${this.type.kind} has no metadata.name`);
    return objectPath(this.type, object.metadata.namespace, name);
  }

  private withTypeMeta(object: T): T {
    return { ...object, apiVersion: this.apiVersion, kind: this.type.kind };
  }
}
