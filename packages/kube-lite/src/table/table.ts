/**
 * Server-side printing (`as=Table`): what `kubectl get` shows. Custom resources get Name plus their
 * additionalPrinterColumns (Age when they have none); built-ins get kube's own columns.
 */
import type { KubeObject, PrinterColumn, ResourceType } from '../types';
import { ageOf } from '../util/duration';
import { builtinColumns } from './builtin-columns';
import { evaluateJsonPath } from './jsonpath';

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const NAME_COLUMN: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export interface TablePrinter {
  columns: TableColumn[];
  cells(obj: KubeObject, now: number): unknown[];
}

function cell(obj: KubeObject, c: PrinterColumn, now: number): unknown {
  const values = evaluateJsonPath(obj, c.jsonPath);
  if (values.length === 0) return null;
  const v = values[0];
  switch (c.type) {
    case 'date':
      return typeof v === 'string' ? ageOf(v, now) : null;
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? v : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    default:
      if (typeof v === 'string') return v;
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

export function printerFor(type: ResourceType): TablePrinter {
  if (!type.crd) {
    const builtin = builtinColumns(type);
    if (builtin) return builtin;
  }
  const columns = type.printerColumns.length > 0 ? type.printerColumns : [AGE_COLUMN];
  return {
    columns: [
      NAME_COLUMN,
      ...columns.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ],
    cells: (obj, now) => [obj.metadata.name, ...columns.map((c) => cell(obj, c, now))],
  };
}

export function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(
  type: ResourceType,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  include: IncludeObject,
  noHeaders = false,
): unknown {
  const printer = printerFor(type);
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(noHeaders ? {} : { columnDefinitions: printer.columns }),
    rows: objects.map((o) => {
      const row: TableRow = { cells: printer.cells(o, now) };
      const object = rowObject(o, include);
      if (object !== undefined) row.object = object;
      return row;
    }),
  };
}
