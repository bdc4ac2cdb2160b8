import { describe, expect, it } from '@jest/globals';
import { API_VERSION, Labels, getSandboxState } from '@kruise-agents/api';
import { aSandboxSet, aSandboxTemplate } from '../testing';
import { buildPoolSandbox, poolGenerateName } from './new-sandbox';

describe('buildPoolSandbox', () => {
  const set = aSandboxSet({
    name: 'py',
    namespace: 'team',
    templateLabels: {
      app: 'py',
      'agents.kruise.io/sandbox-claimed': 'true',
      'agents.kruise.io/cleanup-enabled': 'true',
    },
    templateAnnotations: {
      note: 'x',
      'agents.kruise.io/lock': 'l',
      'agents.kruise.io/cleanup-retain-on-failure': '5m',
    },
  });
  set.spec.runtimes = [{ name: 'agent-runtime' }];
  const sandbox = buildPoolSandbox(set, { revision: 'rev1' });

  it('is a pool member: generateName, pool labels, controller ownerReference', () => {
    expect(sandbox.metadata.generateName).toBe('py-');
    expect(sandbox.metadata.namespace).toBe('team');
    expect(sandbox.metadata.labels).toEqual({
      app: 'py',
      'agents.kruise.io/cleanup-enabled': 'true',
      [Labels.SandboxPool]: 'py',
      [Labels.SandboxTemplate]: 'py',
      [Labels.SandboxClaimed]: 'false',
      [Labels.TemplateHash]: 'rev1',
    });
    expect(sandbox.metadata.ownerReferences).toEqual([
      {
        apiVersion: API_VERSION,
        kind: 'SandboxSet',
        name: 'py',
        uid: set.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  it('inherits template annotations without internal keys, except the recycle settings', () => {
    expect(sandbox.metadata.annotations).toEqual({ note: 'x', 'agents.kruise.io/cleanup-retain-on-failure': '5m' });
  });

  it('copies the template and what travels with it, and sets no timers', () => {
    expect(sandbox.spec.template).toEqual(set.spec.template);
    expect(sandbox.spec.template).not.toBe(set.spec.template);
    expect(sandbox.spec.runtimes).toEqual([{ name: 'agent-runtime' }]);
    expect(sandbox.spec).not.toHaveProperty('shutdownTime');
    expect(sandbox.spec).not.toHaveProperty('pauseTime');
    expect(sandbox.spec).not.toHaveProperty('paused');
  });

  it('counts as creating for its pool until it is ready', () => {
    expect(getSandboxState(sandbox, 0)).toBe('creating');
  });

  it('for a templateRef set: keeps the ref, keys the pool by the template name, inherits its labels', () => {
    const refSet = aSandboxSet({ name: 'py', templateRef: 'python' });
    const template = aSandboxTemplate({ name: 'python' });
    template.spec.template.metadata = { labels: { lang: 'py' } };
    const s = buildPoolSandbox(refSet, { revision: 'r', referencedTemplate: template });
    expect(s.spec).toEqual({ templateRef: { name: 'python' } });
    expect(s.metadata.labels).toMatchObject({
      lang: 'py',
      [Labels.SandboxTemplate]: 'python',
      [Labels.SandboxPool]: 'py',
    });
  });

  it.each([
    ['short', 'short-'],
    ['a'.repeat(57), `${'a'.repeat(57)}-`],
    ['b'.repeat(80), `${'b'.repeat(57)}-`],
  ])('generateName of %s', (name, expected) => {
    expect(poolGenerateName(name)).toBe(expected);
    expect(poolGenerateName(name).length).toBeLessThanOrEqual(58);
  });
});
