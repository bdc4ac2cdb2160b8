/** Builds apiextensions.k8s.io/v1 CustomResourceDefinitions from the resource catalogue. Pure: no I/O. */
import { RESOURCES, type ResourceDefinition } from '../resources';
import { toStructuralSchema, type JSONSchemaProps } from './structural-schema';

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories: string[];
    };
    scope: 'Namespaced' | 'Cluster';
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources?: Record<string, unknown>;
      additionalPrinterColumns?: ResourceDefinition['printerColumns'];
    }>;
  };
}

export function crdName(resource: Pick<ResourceDefinition, 'plural' | 'group'>): string {
  return `${resource.plural}.${resource.group}`;
}

export function buildCustomResourceDefinition(resource: ResourceDefinition): CustomResourceDefinition {
  const spec = toStructuralSchema(resource.specSchema);
  const properties: Record<string, JSONSchemaProps> = {
    apiVersion: { type: 'string', description: 'The versioned schema of this representation of an object.' },
    kind: { type: 'string', description: 'The REST resource this object represents.' },
    metadata: { type: 'object' },
    spec,
  };
  if (resource.statusSchema) properties.status = toStructuralSchema(resource.statusSchema);
  const specRequired = Array.isArray(spec.required) && spec.required.length > 0;

  const subresources: Record<string, unknown> = {};
  if (resource.subresources.status) subresources.status = {};
  if (resource.subresources.scale) subresources.scale = { ...resource.subresources.scale };

  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(resource), labels: { 'app.kubernetes.io/part-of': 'kruise-agents' } },
    spec: {
      group: resource.group,
      names: {
        kind: resource.kind,
        listKind: `${resource.kind}List`,
        plural: resource.plural,
        singular: resource.singular,
        shortNames: [...resource.shortNames],
        categories: [...resource.categories],
      },
      scope: resource.scope,
      versions: [
        {
          name: resource.version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: `${resource.kind} of ${resource.group}.`,
              properties,
              ...(specRequired ? { required: ['spec'] } : {}),
            },
          },
          ...(Object.keys(subresources).length > 0 ? { subresources } : {}),
          ...(resource.printerColumns.length > 0 ? { additionalPrinterColumns: resource.printerColumns } : {}),
        },
      ],
    },
  };
}

/** Every CRD of this project, in a stable order. */
export function buildAllCustomResourceDefinitions(): CustomResourceDefinition[] {
  return RESOURCES.map(buildCustomResourceDefinition);
}
