import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { INSTALL_HINT, findHelm, helm } from './helm';

const chart = fileURLToPath(new URL('../../../charts/kruise-agents', import.meta.url));
const binary = findHelm();
// CI installs helm (.ci/run); a developer machine without it skips this file and says how to get it.
const describeWithHelm = binary ? describe : describe.skip;
if (!binary) console.warn(`chart tests skipped: no helm binary (${INSTALL_HINT})`);

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  spec?: Record<string, unknown>;
  stringData?: Record<string, string>;
}

function render(...set: string[]): Doc[] {
  const args = ['template', 'ka', chart, '--namespace', 'kruise-system', '--kube-version', '1.32.0', '--include-crds'];
  for (const s of set) args.push('--set', s);
  return parseAllDocuments(helm(binary!, args))
    .map((d) => d.toJS() as Doc)
    .filter(Boolean);
}

const allows = (rules: Rule[], group: string, resource: string, verb: string) =>
  rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));

describeWithHelm('charts/kruise-agents', () => {
  it('passes helm lint', () => {
    expect(helm(binary!, ['lint', chart, '--kube-version', '1.32.0', '--strict'])).toMatch(
      /1 chart\(s\) linted, 0 chart\(s\) failed/,
    );
  });

  it('installs the CRDs, the operator and the gateway', () => {
    const docs = render();
    const names = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'CustomResourceDefinition/sandboxes.agents.kruise.io',
        'CustomResourceDefinition/sandboxsets.agents.kruise.io',
        'CustomResourceDefinition/sandboxclaims.agents.kruise.io',
        'CustomResourceDefinition/sandboxtemplates.agents.kruise.io',
        'Deployment/ka-operator',
        'Deployment/ka-gateway',
        'Service/ka-gateway',
      ]),
    );
    expect(names).not.toContain('Secret/ka-gateway-admin-key');
  });

  it('grants the operator what its controllers do, and the gateway what it claims with', () => {
    const docs = render();
    const role = (name: string) => docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === name)!.rules!;
    const operator = role('ka-operator');
    for (const [group, resource, verb] of [
      ['agents.kruise.io', 'sandboxes', 'create'],
      ['agents.kruise.io', 'sandboxes', 'update'],
      ['agents.kruise.io', 'sandboxes', 'delete'],
      ['agents.kruise.io', 'sandboxes/status', 'update'],
      ['agents.kruise.io', 'sandboxsets', 'watch'],
      ['agents.kruise.io', 'sandboxsets/status', 'update'],
      ['agents.kruise.io', 'sandboxclaims/status', 'update'],
      ['agents.kruise.io', 'sandboxclaims', 'delete'],
      ['', 'pods', 'create'],
      ['', 'pods', 'delete'],
      ['', 'pods', 'patch'],
      ['coordination.k8s.io', 'leases', 'update'],
      // Events: created once, then patched (count, lastTimestamp) by the recorder.
      ['', 'events', 'create'],
      ['', 'events', 'patch'],
    ] as const) {
      expect([group, resource, verb, allows(operator, group, resource, verb)]).toEqual([group, resource, verb, true]);
    }
    const gateway = role('ka-gateway');
    expect(allows(gateway, 'agents.kruise.io', 'sandboxes', 'update')).toBe(true);
    expect(allows(gateway, 'agents.kruise.io', 'sandboxsets', 'list')).toBe(true);
    expect(allows(gateway, 'agents.kruise.io', 'sandboxsets', 'update')).toBe(false);
    const keys = docs.find((d) => d.kind === 'Role' && d.metadata.name === 'ka-gateway-keys')!;
    expect(keys.metadata.namespace).toBe('kruise-system');
    expect(allows(keys.rules!, '', 'secrets', 'update')).toBe(true);
  });

  it('passes the admin key through a Secret, never as a plain argument', () => {
    const docs = render('gateway.adminKey=e2b_0123abcd', 'gateway.domain=sandbox.example.com');
    expect(docs.find((d) => d.kind === 'Secret')?.stringData).toEqual({ adminKey: 'e2b_0123abcd' });
    const deployment = JSON.stringify(docs.find((d) => d.metadata.name === 'ka-gateway' && d.kind === 'Deployment'));
    expect(deployment).not.toContain('e2b_0123abcd');
    expect(deployment).toContain('--domain=sandbox.example.com');
    expect(deployment).toContain('ka-gateway-admin-key');
  });

  it('elects a leader in the release namespace', () => {
    const deployment = JSON.stringify(
      render().find((d) => d.kind === 'Deployment' && d.metadata.name === 'ka-operator'),
    );
    expect(deployment).toContain('--leader-elect=true');
    expect(deployment).toContain('--leader-election-namespace=kruise-system');
  });
});
