/**
 * The catalogue of kinds: names, short names, subresources and printer columns. CRD generation, the embedded API
 * server and the typed clients all read this one table.
 */
import type { z } from 'zod';
import { GROUP, VERSION } from './group';
import { SandboxClaimSchema, SandboxClaimSpecSchema, SandboxClaimStatusSchema } from './schemas/sandbox-claim';
import { SandboxSchema, SandboxSpecSchema, SandboxStatusSchema } from './schemas/sandbox';
import { SandboxSetSchema, SandboxSetSpecSchema, SandboxSetStatusSchema } from './schemas/sandbox-set';
import { SandboxTemplateSchema, SandboxTemplateSpecSchema } from './schemas/sandbox-template';
import { Labels } from './well-known';

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  /** 0 is shown by `kubectl get`; higher only by `kubectl get -o wide`. */
  priority?: number;
}

export interface ResourceDefinition {
  group: typeof GROUP;
  version: typeof VERSION;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  scope: 'Namespaced' | 'Cluster';
  schema: z.ZodType;
  specSchema: z.ZodType;
  statusSchema?: z.ZodType;
  subresources: {
    status: boolean;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
  };
  printerColumns: PrinterColumn[];
}

const CATEGORIES = ['all', 'kruise-agents'];

type Names = Pick<ResourceDefinition, 'kind' | 'plural' | 'singular' | 'shortNames'>;
type Shape = Pick<ResourceDefinition, 'schema' | 'specSchema' | 'statusSchema' | 'subresources' | 'printerColumns'>;

/** Every kind of this group is namespaced, in the same version and categories. */
function defineResource(names: Names, shape: Shape): ResourceDefinition {
  return { group: GROUP, version: VERSION, categories: CATEGORIES, scope: 'Namespaced', ...names, ...shape };
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const escaped = (key: string) => key.replace(/\./g, '\\.');

export const SandboxResource = defineResource(
  { kind: 'Sandbox', plural: 'sandboxes', singular: 'sandbox', shortNames: ['sbx'] },
  {
    schema: SandboxSchema,
    specSchema: SandboxSpecSchema,
    statusSchema: SandboxStatusSchema,
    subresources: { status: true },
    // The columns the user document shows: NAME STATUS AGE SHUTDOWN_TIME PAUSE_TIME MESSAGE; more with -o wide.
    printerColumns: [
      { name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'The sandbox phase.' },
      age,
      { name: 'Shutdown_Time', type: 'string', jsonPath: '.spec.shutdownTime', description: 'When it is deleted.' },
      { name: 'Pause_Time', type: 'string', jsonPath: '.spec.pauseTime', description: 'When it is paused.' },
      { name: 'Message', type: 'string', jsonPath: '.status.message' },
      {
        name: 'Claimed',
        type: 'string',
        jsonPath: `.metadata.labels.${escaped(Labels.SandboxClaimed)}`,
        priority: 1,
      },
      { name: 'Pool', type: 'string', jsonPath: `.metadata.labels.${escaped(Labels.SandboxPool)}`, priority: 1 },
      { name: 'IP', type: 'string', jsonPath: '.status.podInfo.podIP', priority: 1 },
    ],
  },
);

export const SandboxSetResource = defineResource(
  { kind: 'SandboxSet', plural: 'sandboxsets', singular: 'sandboxset', shortNames: ['sbs'] },
  {
    schema: SandboxSetSchema,
    specSchema: SandboxSetSpecSchema,
    statusSchema: SandboxSetStatusSchema,
    subresources: {
      status: true,
      scale: {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.replicas',
        labelSelectorPath: '.status.selector',
      },
    },
    printerColumns: [
      { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', description: 'Unused sandboxes to keep warm.' },
      { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas', description: 'Ready to claim.' },
      {
        name: 'Updated',
        type: 'integer',
        jsonPath: '.status.updatedReplicas',
        description: 'On the current template.',
      },
      age,
      {
        name: 'Replicas',
        type: 'integer',
        jsonPath: '.status.replicas',
        description: 'Creating + available.',
        priority: 1,
      },
      { name: 'Revision', type: 'string', jsonPath: '.status.updateRevision', priority: 1 },
    ],
  },
);

export const SandboxClaimResource = defineResource(
  { kind: 'SandboxClaim', plural: 'sandboxclaims', singular: 'sandboxclaim', shortNames: ['sbc'] },
  {
    schema: SandboxClaimSchema,
    specSchema: SandboxClaimSpecSchema,
    statusSchema: SandboxClaimStatusSchema,
    subresources: { status: true },
    // The columns the user document shows: NAME PHASE TEMPLATE DESIRED CLAIMED AGE.
    printerColumns: [
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Template', type: 'string', jsonPath: '.spec.templateName' },
      { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Claimed', type: 'integer', jsonPath: '.status.claimedReplicas' },
      age,
    ],
  },
);

export const SandboxTemplateResource = defineResource(
  { kind: 'SandboxTemplate', plural: 'sandboxtemplates', singular: 'sandboxtemplate', shortNames: ['sbt'] },
  {
    schema: SandboxTemplateSchema,
    specSchema: SandboxTemplateSpecSchema,
    subresources: { status: false },
    printerColumns: [],
  },
);

export const RESOURCES = [SandboxResource, SandboxSetResource, SandboxClaimResource, SandboxTemplateResource] as const;

/** Finds a kind by kind name, plural, singular or short name (what kubectl accepts). */
export function findResource(name: string): ResourceDefinition | undefined {
  const wanted = name.toLowerCase();
  return RESOURCES.find(
    (r) =>
      r.kind.toLowerCase() === wanted || r.plural === wanted || r.singular === wanted || r.shortNames.includes(wanted),
  );
}
