import { describe, expect, it } from '@jest/globals';
import {
  RESOURCES,
  SandboxClaimResource,
  SandboxResource,
  SandboxSetResource,
  SandboxTemplateResource,
} from '../resources';
import { buildAllCustomResourceDefinitions, buildCustomResourceDefinition } from './custom-resource-definition';
import type { JSONSchemaProps } from './structural-schema';

const schemaOf = (crd: ReturnType<typeof buildCustomResourceDefinition>) =>
  crd.spec.versions[0]!.schema.openAPIV3Schema;
const prop = (schema: JSONSchemaProps, path: string): JSONSchemaProps =>
  path
    .split('.')
    .reduce<JSONSchemaProps>((node, key) => (node.properties as Record<string, JSONSchemaProps>)[key]!, schema);
/** The column headers kubectl prints: NAME, then the priority-0 columns upper-cased. */
const headers = (crd: ReturnType<typeof buildCustomResourceDefinition>) => [
  'NAME',
  ...(crd.spec.versions[0]!.additionalPrinterColumns ?? []).filter((c) => !c.priority).map((c) => c.name.toUpperCase()),
];

describe('generated CRDs', () => {
  it.each([
    [SandboxResource, 'sandboxes.agents.kruise.io', 'sbx'],
    [SandboxSetResource, 'sandboxsets.agents.kruise.io', 'sbs'],
    [SandboxClaimResource, 'sandboxclaims.agents.kruise.io', 'sbc'],
    [SandboxTemplateResource, 'sandboxtemplates.agents.kruise.io', 'sbt'],
  ])('%#: %s is namespaced with short name %s', (resource, name, short) => {
    const crd = buildCustomResourceDefinition(resource);
    expect(crd.metadata.name).toBe(name);
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names.shortNames).toEqual([short]);
    expect(crd.spec.names.categories).toEqual(['all', 'kruise-agents']);
    expect(crd.spec.versions).toHaveLength(1);
    expect(crd.spec.versions[0]).toMatchObject({ name: 'v1alpha1', served: true, storage: true });
  });

  it('prints the columns the user document shows', () => {
    expect(headers(buildCustomResourceDefinition(SandboxClaimResource))).toEqual([
      'NAME',
      'PHASE',
      'TEMPLATE',
      'DESIRED',
      'CLAIMED',
      'AGE',
    ]);
    expect(headers(buildCustomResourceDefinition(SandboxResource))).toEqual([
      'NAME',
      'STATUS',
      'AGE',
      'SHUTDOWN_TIME',
      'PAUSE_TIME',
      'MESSAGE',
    ]);
    expect(headers(buildCustomResourceDefinition(SandboxSetResource))).toEqual([
      'NAME',
      'DESIRED',
      'AVAILABLE',
      'UPDATED',
      'AGE',
    ]);
  });

  it('gives sbc columns the right paths and types', () => {
    const columns = buildCustomResourceDefinition(SandboxClaimResource).spec.versions[0]!.additionalPrinterColumns!;
    expect(columns.map((c) => [c.jsonPath, c.type])).toEqual([
      ['.status.phase', 'string'],
      ['.spec.templateName', 'string'],
      ['.spec.replicas', 'integer'],
      ['.status.claimedReplicas', 'integer'],
      ['.metadata.creationTimestamp', 'date'],
    ]);
  });

  it('has a status subresource on all but SandboxTemplate, and a scale subresource on SandboxSet', () => {
    const sub = (r: typeof SandboxResource) => buildCustomResourceDefinition(r).spec.versions[0]!.subresources;
    expect(sub(SandboxResource)).toEqual({ status: {} });
    expect(sub(SandboxClaimResource)).toEqual({ status: {} });
    expect(sub(SandboxTemplateResource)).toBeUndefined();
    expect(sub(SandboxSetResource)).toEqual({
      status: {},
      scale: {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.replicas',
        labelSelectorPath: '.status.selector',
      },
    });
  });

  it('carries defaults and validation an API server enforces', () => {
    const claim = schemaOf(buildCustomResourceDefinition(SandboxClaimResource));
    expect(prop(claim, 'spec').required).toEqual(['templateName']);
    expect(prop(claim, 'spec.replicas')).toMatchObject({ type: 'integer', format: 'int32', minimum: 1, default: 1 });
    expect(prop(claim, 'spec.replicas')['x-kubernetes-validations']).toEqual([
      { rule: 'self == oldSelf', message: 'replicas is immutable' },
    ]);
    expect(prop(claim, 'spec.claimTimeout')).toMatchObject({ type: 'string', default: '1m' });
    expect(prop(claim, 'spec.claimTimeout')['x-kubernetes-validations']).toEqual([
      { rule: "duration(self) >= duration('1s')", message: 'must be greater than or equal to 1s' },
    ]);
    expect(prop(claim, 'spec.ttlAfterCompleted')).toMatchObject({ type: 'string', default: '60m' });
    expect(prop(claim, 'spec.createOnNoStock')).toMatchObject({ type: 'boolean', default: true });
    expect(prop(claim, 'spec.shutdownTime')).toEqual({
      type: 'string',
      format: 'date-time',
      description: expect.any(String),
    });
    expect(prop(claim, 'status.phase')).toMatchObject({ type: 'string', enum: ['Claiming', 'Completed'] });
    expect(prop(claim, 'spec.labels')).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });

    const set = schemaOf(buildCustomResourceDefinition(SandboxSetResource));
    expect(prop(set, 'spec.replicas')).toMatchObject({ type: 'integer', minimum: 0 });
    expect(prop(set, 'spec.updateStrategy.maxUnavailable')).toMatchObject({
      'x-kubernetes-int-or-string': true,
      default: '20%',
    });
    expect(prop(set, 'spec.template')).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(prop(set, 'spec')['x-kubernetes-validations']).toEqual([
      {
        rule: 'has(self.template) != has(self.templateRef)',
        message: 'must set exactly one of template and templateRef',
      },
    ]);
  });

  it('lists every spec and status field of the zod schemas', () => {
    for (const resource of RESOURCES) {
      const schema = schemaOf(buildCustomResourceDefinition(resource));
      const zodKeys = (s: unknown) => Object.keys((s as { shape: object }).shape).sort();
      expect(Object.keys(prop(schema, 'spec').properties as object).sort()).toEqual(zodKeys(resource.specSchema));
      if (resource.statusSchema) {
        expect(Object.keys(prop(schema, 'status').properties as object).sort()).toEqual(zodKeys(resource.statusSchema));
      }
    }
  });

  it('is structural: every node typed, no JSON-Schema keywords Kubernetes forbids', () => {
    const forbidden = ['$ref', '$schema', 'oneOf', 'not', 'const', 'definitions', '$defs', 'dependencies'];
    const check = (node: JSONSchemaProps, path: string) => {
      for (const key of forbidden) expect([path, key, node[key]]).toEqual([path, key, undefined]);
      if (node['x-kubernetes-int-or-string']) return;
      expect([path, node.type]).toEqual([path, expect.any(String)]);
      if (node.anyOf) throw new Error(`${path}: anyOf is only allowed for int-or-string`);
      if (node.properties && node.additionalProperties)
        throw new Error(`${path}: properties with additionalProperties`);
      if (node['x-kubernetes-preserve-unknown-fields']) expect(node.properties).toBeUndefined();
      for (const [k, child] of Object.entries((node.properties ?? {}) as Record<string, JSONSchemaProps>))
        check(child, `${path}.${k}`);
      if (node.items) check(node.items as JSONSchemaProps, `${path}[]`);
      if (typeof node.additionalProperties === 'object')
        check(node.additionalProperties as JSONSchemaProps, `${path}{}`);
    };
    for (const crd of buildAllCustomResourceDefinitions()) check(schemaOf(crd), crd.spec.names.kind);
  });
});
