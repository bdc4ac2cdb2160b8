/**
 * The controllers kube-controller-manager and apiextensions run that the API's semantics depend on: the garbage
 * collector (ownerReferences with background, foreground and orphan propagation), the namespace controller (emptying
 * a terminating namespace, then finalizing it) and the CRD finalizer (deleting a CRD's objects before the CRD).
 * They react to store events but act later (setImmediate), so watchers always see events in revision order.
 */
import { ApiError } from '../errors';
import { CRD_CLEANUP_FINALIZER } from '../registry/crd';
import { CRD_TYPE_KEY, type Registry } from '../registry/registry';
import { deleteObject, updateObject, type Ctx } from '../rest/objects';
import type { Store, StoreEvent } from '../storage/store';
import type { KubeObject, ResourceType } from '../types';
import { typeKey } from '../types';
import { clone, isObject } from '../util/json';

type Work =
  | { kind: 'dependents'; ownerUid: string }
  | { kind: 'object'; typeKey: string; namespace: string; name: string }
  | { kind: 'namespace'; name: string };

export class Controllers {
  private queue = new Map<string, Work>();
  private scheduled = false;
  private stopped = false;
  private unsubscribe: () => void;
  /** Resolvers waiting for the queue to drain (tests and shutdown). */
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly ctx: Ctx) {
    this.unsubscribe = ctx.store.onEvent((e) => this.observe(e));
  }

  private get store(): Store {
    return this.ctx.store;
  }

  private get registry(): Registry {
    return this.ctx.registry;
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  get idle(): boolean {
    return this.queue.size === 0 && !this.scheduled;
  }

  /** Resolves once all queued work is done. */
  settled(): Promise<void> {
    if (this.queue.size === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(work: Work): void {
    const key = JSON.stringify(work);
    this.queue.set(key, work);
    if (!this.scheduled && !this.stopped) {
      this.scheduled = true;
      setImmediate(() => this.process());
    }
  }

  private observe(e: StoreEvent): void {
    // The registry follows CRDs synchronously: a custom resource can be created right after its CRD.
    if (e.typeKey === CRD_TYPE_KEY) {
      if (e.type === 'DELETED') this.registry.removeCrd(e.name);
      else this.safeApplyCrd(e.object);
    }
    const obj = e.object;
    const uid = obj.metadata.uid;
    if (e.type === 'DELETED') {
      if (uid && this.store.dependentsOf(uid).length > 0) this.enqueue({ kind: 'dependents', ownerUid: uid });
      // An owner in foreground deletion waits for this dependent.
      for (const o of obj.metadata.ownerReferences ?? []) {
        const owner = this.store.byUid(o.uid);
        const ownerObj = owner && this.store.get(owner.typeKey, owner.namespace, owner.name);
        if (ownerObj?.metadata.deletionTimestamp) this.enqueue({ kind: 'dependents', ownerUid: o.uid });
      }
      if (e.namespace) {
        const ns = this.store.get('core/namespaces', '', e.namespace);
        if (ns?.metadata.deletionTimestamp) this.enqueue({ kind: 'namespace', name: e.namespace });
      }
      if (e.typeKey !== CRD_TYPE_KEY) this.recheckDeletingCrd(e.typeKey);
      return;
    }
    const ref = { kind: 'object' as const, typeKey: e.typeKey, namespace: e.namespace, name: e.name };
    if (obj.metadata.deletionTimestamp) {
      const f = obj.metadata.finalizers ?? [];
      if (f.includes('orphan') || f.includes('foregroundDeletion')) this.enqueue(ref);
      if (e.typeKey === 'core/namespaces') this.enqueue({ kind: 'namespace', name: e.name });
      if (e.typeKey === CRD_TYPE_KEY) this.enqueue(ref);
      // A dependent being deleted may be what a foreground owner waits for.
      for (const o of obj.metadata.ownerReferences ?? []) this.enqueue({ kind: 'dependents', ownerUid: o.uid });
    }
    for (const o of obj.metadata.ownerReferences ?? []) {
      const owner = this.store.byUid(o.uid);
      if (!owner) this.enqueue(ref);
      else {
        const ownerObj = this.store.get(owner.typeKey, owner.namespace, owner.name);
        if (ownerObj?.metadata.deletionTimestamp) this.enqueue({ kind: 'dependents', ownerUid: o.uid });
      }
    }
  }

  private safeApplyCrd(crd: KubeObject): void {
    try {
      this.registry.applyCrd(crd);
    } catch {
      // A CRD whose names clash keeps being stored but is not served, as NamesAccepted=False would leave it.
    }
  }

  private recheckDeletingCrd(key: string): void {
    const type = this.registry.byTypeKey(key);
    if (!type?.crd) return;
    const crd = this.store.get(CRD_TYPE_KEY, '', type.crd);
    if (crd?.metadata.deletionTimestamp)
      this.enqueue({ kind: 'object', typeKey: CRD_TYPE_KEY, namespace: '', name: type.crd });
  }

  private process(): void {
    this.scheduled = false;
    if (this.stopped) return;
    const batch = [...this.queue.values()];
    this.queue.clear();
    for (const work of batch) {
      try {
        if (work.kind === 'dependents') this.processDependents(work.ownerUid);
        else if (work.kind === 'namespace') this.processNamespace(work.name);
        else this.processObject(work.typeKey, work.namespace, work.name);
      } catch (error) {
        if (!(error instanceof ApiError && (error.code === 404 || error.code === 409))) {
          console.error('kube-lite controller:', error);
        }
      }
    }
    if (this.queue.size === 0 && !this.scheduled) {
      const waiting = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiting) resolve();
    }
  }

  private typeOf(key: string): ResourceType | undefined {
    return this.registry.byTypeKey(key);
  }

  private get(key: string, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(key, namespace, name);
  }

  private write(key: string, obj: KubeObject): void {
    const type = this.typeOf(key);
    if (!type) return;
    updateObject(this.ctx, type, obj.metadata.namespace ?? '', obj.metadata.name!, obj, { unconditional: true });
  }

  private removeFinalizer(key: string, obj: KubeObject, finalizer: string): void {
    const next = clone(obj);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    this.write(key, next);
  }

  private deleteRef(key: string, namespace: string, name: string, policy: 'Background' | 'Foreground'): void {
    const type = this.typeOf(key);
    if (!type) return;
    try {
      deleteObject(this.ctx, type, namespace, name, { propagationPolicy: policy });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    }
  }

  /** An owner changed or disappeared: look at each of its dependents. */
  private processDependents(ownerUid: string): void {
    for (const dep of this.store.dependentsOf(ownerUid)) this.processObject(dep.typeKey, dep.namespace, dep.name);
    const ownerRef = this.store.byUid(ownerUid);
    if (ownerRef) this.processObject(ownerRef.typeKey, ownerRef.namespace, ownerRef.name);
  }

  private processObject(key: string, namespace: string, name: string): void {
    const obj = this.get(key, namespace, name);
    if (!obj) return;
    if (key === CRD_TYPE_KEY && obj.metadata.deletionTimestamp) return this.finalizeCrd(obj);
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && finalizers.includes('orphan')) return this.orphanDependents(key, obj);
    if (obj.metadata.deletionTimestamp && finalizers.includes('foregroundDeletion')) this.foreground(key, obj);
    this.checkOwners(key, obj);
  }

  private orphanDependents(key: string, owner: KubeObject): void {
    const uid = owner.metadata.uid!;
    for (const dep of this.store.dependentsOf(uid)) {
      const d = this.get(dep.typeKey, dep.namespace, dep.name);
      if (!d) continue;
      const next = clone(d);
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid);
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      this.write(dep.typeKey, next);
    }
    const fresh = this.get(key, owner.metadata.namespace ?? '', owner.metadata.name!);
    if (fresh) this.removeFinalizer(key, fresh, 'orphan');
  }

  private foreground(key: string, owner: KubeObject): void {
    const uid = owner.metadata.uid!;
    let blocking = 0;
    for (const dep of this.store.dependentsOf(uid)) {
      const d = this.get(dep.typeKey, dep.namespace, dep.name);
      if (!d) continue;
      const ref = (d.metadata.ownerReferences ?? []).find((o) => o.uid === uid);
      if (ref?.blockOwnerDeletion) blocking++;
      if (!d.metadata.deletionTimestamp) this.checkOwners(dep.typeKey, d);
    }
    if (blocking === 0) {
      const fresh = this.get(key, owner.metadata.namespace ?? '', owner.metadata.name!);
      if (fresh) this.removeFinalizer(key, fresh, 'foregroundDeletion');
    }
  }

  /** attemptToDelete: a dependent with no owner left alive is deleted; dangling references are dropped otherwise. */
  private checkOwners(key: string, obj: KubeObject): void {
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0 || obj.metadata.deletionTimestamp) return;
    let solid = 0;
    let waiting = 0;
    const gone: string[] = [];
    for (const r of refs) {
      const loc = this.store.byUid(r.uid);
      const owner = loc ? this.get(loc.typeKey, loc.namespace, loc.name) : undefined;
      if (!owner) gone.push(r.uid);
      else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes('foregroundDeletion'))
        waiting++;
      else solid++;
    }
    if (solid === 0 && (gone.length > 0 || waiting > 0)) {
      const hasDependents = this.store.dependentsOf(obj.metadata.uid!).length > 0;
      this.deleteRef(
        key,
        obj.metadata.namespace ?? '',
        obj.metadata.name!,
        waiting > 0 && hasDependents ? 'Foreground' : 'Background',
      );
    } else if (solid > 0 && gone.length > 0) {
      const next = clone(obj);
      next.metadata.ownerReferences = refs.filter((r) => !gone.includes(r.uid));
      this.write(key, next);
    }
  }

  private processNamespace(name: string): void {
    const ns = this.get('core/namespaces', '', name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const t of this.registry.all()) {
      if (!t.namespaced) continue;
      const key = typeKey(t);
      for (const o of this.store.list(key, name)) {
        remaining++;
        if (!o.metadata.deletionTimestamp) this.deleteRef(key, name, o.metadata.name!, 'Background');
      }
    }
    if (remaining > 0) return;
    const spec = isObject(ns.spec) ? ns.spec : {};
    const nsType = this.typeOf('core/namespaces')!;
    if (Array.isArray(spec.finalizers) && spec.finalizers.includes('kubernetes')) {
      const next = clone(ns);
      next.spec = { ...spec, finalizers: (spec.finalizers as string[]).filter((f) => f !== 'kubernetes') };
      updateObject(this.ctx, nsType, '', name, next, { subresource: 'finalize', unconditional: true });
    }
    const fresh = this.get('core/namespaces', '', name);
    if (fresh && (fresh.metadata.finalizers ?? []).length === 0) this.store.remove('core/namespaces', fresh);
  }

  private finalizeCrd(crd: KubeObject): void {
    const types = this.registry.all().filter((t) => t.crd === crd.metadata.name);
    let remaining = 0;
    const spec = crd.spec as { group?: string; names?: { plural?: string } };
    const key = `${spec.group}/${spec.names?.plural}`;
    const type = types[0];
    for (const o of this.store.list(key)) {
      remaining++;
      if (type && !o.metadata.deletionTimestamp)
        this.deleteRef(key, o.metadata.namespace ?? '', o.metadata.name!, 'Background');
    }
    if (remaining === 0 && (crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) {
      this.removeFinalizer(CRD_TYPE_KEY, crd, CRD_CLEANUP_FINALIZER);
    }
  }
}
