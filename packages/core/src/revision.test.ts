import { describe, expect, it } from '@jest/globals';
import { CoreError } from './errors';
import { canonicalJson, fnv32, hashRevision, safeEncode, sandboxSetRevision, sandboxTemplateHash } from './revision';
import { aSandbox, aSandboxSet, aSandboxTemplate } from './testing';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: 1, x: [3, { d: 1, c: 2 }] } }, '{"z":{"x":[3,{"c":2,"d":1}],"y":1}}'],
    [{ a: undefined, b: null }, '{"b":null}'],
    [[undefined, 'x'], '[null,"x"]'],
    ['quote"d', '"quote\\"d"'],
    [undefined, 'null'],
  ])('%j → %s', (value, json) => {
    expect(canonicalJson(value)).toBe(json);
  });
});

describe('fnv32 (FNV-1, the non-"a" variant)', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0x050c5d7e],
    ['foobar', 0x31f0b262],
  ])('%j hashes to the published test vector', (text, hash) => {
    expect(fnv32(text)).toBe(hash);
  });
});

describe('safeEncode', () => {
  it('maps digits onto the vowel-free alphabet, as Kubernetes does', () => {
    expect(safeEncode('0123456789')).toBe('456789bcdf');
    expect(safeEncode('2166136261')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
  it('hashRevision is safeEncode of the decimal hash', () => {
    expect(hashRevision({})).toBe(safeEncode(String(fnv32('{}'))));
  });
});

describe('sandboxSetRevision', () => {
  const base = aSandboxSet();

  it('is stable whatever the key order', () => {
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverseKeys(v)]),
            )
          : value;
    const reordered = reverseKeys(base) as typeof base;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(base));
    expect(sandboxSetRevision(reordered)).toBe(sandboxSetRevision(base));
  });

  it.each([
    ['the image', (s: ReturnType<typeof aSandboxSet>) => (s.spec.template!.spec.containers[0]!.image = 'node:22')],
    ['template labels', (s: ReturnType<typeof aSandboxSet>) => (s.spec.template!.metadata = { labels: { a: 'b' } })],
    ['runtimes', (s: ReturnType<typeof aSandboxSet>) => (s.spec.runtimes = [{ name: 'agent-runtime' }])],
    ['persistentContents', (s: ReturnType<typeof aSandboxSet>) => (s.spec.persistentContents = ['filesystem'])],
    ['pauseStrategy', (s: ReturnType<typeof aSandboxSet>) => (s.spec.pauseStrategy = { type: 'Freeze' })],
  ])('changes with %s', (_what, change) => {
    const changed = structuredClone(base);
    change(changed);
    expect(sandboxSetRevision(changed)).not.toBe(sandboxSetRevision(base));
  });

  it.each([
    ['replicas', (s: ReturnType<typeof aSandboxSet>) => (s.spec.replicas = 10)],
    ['updateStrategy', (s: ReturnType<typeof aSandboxSet>) => (s.spec.updateStrategy = { maxUnavailable: 5 })],
    ['metadata', (s: ReturnType<typeof aSandboxSet>) => (s.metadata.labels = { team: 'x' })],
  ])('does not change with %s', (_what, change) => {
    const changed = structuredClone(base);
    change(changed);
    expect(sandboxSetRevision(changed)).toBe(sandboxSetRevision(base));
  });

  it('hashes the referenced SandboxTemplate for a templateRef set', () => {
    const set = aSandboxSet({ templateRef: 'python' });
    const v1 = sandboxSetRevision(set, aSandboxTemplate({ name: 'python', image: 'python:3.12' }));
    const v2 = sandboxSetRevision(set, aSandboxTemplate({ name: 'python', image: 'python:3.13' }));
    expect(v1).not.toBe(v2);
    // The same effective template as an inline set with that template.
    expect(v1).toBe(sandboxSetRevision(aSandboxSet({ image: 'python:3.12' })));
  });

  it.each([
    ['missing', undefined],
    ['of another name', aSandboxTemplate({ name: 'other' })],
  ])('throws TemplateNotResolved when the referenced template is %s', (_what, template) => {
    const set = aSandboxSet({ templateRef: 'python' });
    expect(() => sandboxSetRevision(set, template)).toThrow(CoreError);
    expect(() => sandboxSetRevision(set, template)).toThrow(/pass that SandboxTemplate/);
  });
});

describe('sandboxTemplateHash', () => {
  it('changes with the pod template and ignores everything else', () => {
    const sandbox = aSandbox({ name: 's' });
    const relabelled = {
      ...sandbox,
      metadata: { ...sandbox.metadata, labels: { x: 'y' } },
      spec: { ...sandbox.spec, paused: true },
    };
    expect(sandboxTemplateHash(relabelled)).toBe(sandboxTemplateHash(sandbox));
    expect(sandboxTemplateHash(aSandbox({ name: 's', image: 'node:22' }))).not.toBe(sandboxTemplateHash(sandbox));
  });

  it('hashes the templateRef of a sandbox that references a template', () => {
    expect(sandboxTemplateHash(aSandbox({ name: 's', templateRef: 'a' }))).toBe(hashRevision({ name: 'a' }));
  });
});
