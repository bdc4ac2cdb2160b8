/**
 * zod schema → Kubernetes structural OpenAPI v3 schema. zod's own JSON Schema output is the starting point; this
 * module rewrites the parts Kubernetes reads differently: int-or-string, preserve-unknown-fields, int32, and the
 * JSON Schema keywords a structural schema forbids.
 */
import { z } from 'zod';

export type JSONSchemaProps = { [key: string]: unknown };

const INT32 = { min: -2147483648, max: 2147483647 };
const DROPPED_KEYWORDS = ['$schema', 'id', '$id', 'const'];

export function toStructuralSchema(schema: z.ZodType): JSONSchemaProps {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' });
  return rewrite(json as JSONSchemaProps);
}

function rewrite(node: JSONSchemaProps): JSONSchemaProps {
  const description = typeof node.description === 'string' ? { description: node.description } : {};
  const validations = node['x-kubernetes-validations']
    ? { 'x-kubernetes-validations': node['x-kubernetes-validations'] }
    : {};

  if (node['x-kubernetes-preserve-unknown-fields'] === true) {
    // The server keeps whatever is below; a structural schema must then say nothing about it.
    return { ...description, type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    return {
      ...description,
      ...('default' in node ? { default: node.default } : {}),
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
      ...validations,
    };
  }

  const out: JSONSchemaProps = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.includes(key)) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JSONSchemaProps>).map(([name, prop]) => [name, rewrite(prop)]),
      );
    } else if (key === 'items') {
      out.items = rewrite(value as JSONSchemaProps);
    } else if (key === 'additionalProperties') {
      // `false` (strict objects) and `{}` (loose ones) have no structural meaning; a typed map keeps its value schema.
      if (typeof value === 'object' && value !== null && Object.keys(value).length > 0 && !node.properties) {
        out.additionalProperties = rewrite(value as JSONSchemaProps);
      }
    } else {
      out[key] = value;
    }
  }
  if (out.type === 'integer') narrowInteger(out);
  if (out.format === 'date-time') delete out.pattern; // zod's RFC 3339 regex; the format says the same.
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  return out;
}

function narrowInteger(schema: JSONSchemaProps): void {
  if (schema.maximum === INT32.max) {
    schema.format = 'int32';
    delete schema.maximum;
    if (schema.minimum === INT32.min) delete schema.minimum;
  }
  if (typeof schema.maximum === 'number' && Math.abs(schema.maximum) >= Number.MAX_SAFE_INTEGER) delete schema.maximum;
  if (typeof schema.minimum === 'number' && Math.abs(schema.minimum) >= Number.MAX_SAFE_INTEGER) delete schema.minimum;
  if (schema.format === undefined) schema.format = 'int64';
}
