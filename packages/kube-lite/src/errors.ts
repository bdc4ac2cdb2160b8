/**
 * The one error type of the server. Everything below the HTTP boundary throws ApiError; the boundary turns it into a
 * metav1.Status with the same code and reason kube-apiserver would use, so clients branch on it exactly as they would
 * against a real cluster.
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Timeout'
  | 'ServiceUnavailable';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A field-level validation failure, formatted the way apimachinery's field.Error prints. */
export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueDuplicate'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueTypeInvalid';
  field: string;
  /** The full human text after "<field>: ", e.g. `Required value` or `Invalid value: 3: must be ...`. */
  detail: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `pods` for the core group, `sandboxsets.agents.kruise.io` otherwise: how apimachinery names a GroupResource. */
export function groupResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const errors = {
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (message: string, details?: StatusDetails) => new ApiError(403, 'Forbidden', message, details),
  notFound: (group: string, plural: string, name: string) =>
    new ApiError(404, 'NotFound', `${groupResource(group, plural)} "${name}" not found`, {
      name,
      ...(group ? { group } : {}),
      kind: plural,
    }),
  pathNotFound: () => new ApiError(404, 'NotFound', 'the server could not find the requested resource'),
  methodNotAllowed: (method: string) =>
    new ApiError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method})`,
    ),
  alreadyExists: (group: string, plural: string, name: string) =>
    new ApiError(409, 'AlreadyExists', `${groupResource(group, plural)} "${name}" already exists`, {
      name,
      ...(group ? { group } : {}),
      kind: plural,
    }),
  conflict: (group: string, plural: string, name: string, why: string) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${groupResource(group, plural)} "${name}": ${why}`,
      {
        name,
        ...(group ? { group } : {}),
        kind: plural,
      },
    ),
  staleResourceVersion: (group: string, plural: string, name: string) =>
    errors.conflict(
      group,
      plural,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    ),
  gone: (message: string) => new ApiError(410, 'Expired', message),
  tooLarge: (message = 'the request is too large') => new ApiError(413, 'RequestEntityTooLarge', message),
  unsupportedMediaType: (contentType: string, accepted: string[]) =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
      { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
    ),
  invalid: (kind: string, group: string, name: string, fieldErrors: FieldError[]) => {
    const qualified = group ? `${kind}.${group}` : kind;
    const texts = fieldErrors.map((e) => `${e.field}: ${e.detail}`);
    const summary = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${qualified} "${name}" is invalid: ${summary}`, {
      name,
      ...(group ? { group } : {}),
      kind,
      causes: fieldErrors.map((e) => ({ reason: e.type, message: e.detail, field: e.field })),
    });
  },
  unprocessable: (message: string) => new ApiError(422, 'Invalid', message),
  internal: (message: string) =>
    new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ reason: '', message }],
    }),
};

/** Renders a JSON value the way Go's %v would in field errors: strings quoted, the rest as JSON. */
export function printValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const fieldErrors = {
  required: (field: string, detail = ''): FieldError => ({
    type: 'FieldValueRequired',
    field,
    detail: detail ? `Required value: ${detail}` : 'Required value',
  }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueInvalid',
    field,
    detail: `Invalid value: ${printValue(value)}: ${detail}`,
  }),
  notSupported: (field: string, value: unknown, supported: unknown[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    detail: `Unsupported value: ${printValue(value)}: supported values: ${supported.map(printValue).join(', ')}`,
  }),
  forbidden: (field: string, detail: string): FieldError => ({
    type: 'FieldValueForbidden',
    field,
    detail: `Forbidden: ${detail}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({
    type: 'FieldValueDuplicate',
    field,
    detail: `Duplicate value: ${printValue(value)}`,
  }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany',
    field,
    detail: `Too many: ${actual}: must have at most ${max} items`,
  }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueTypeInvalid',
    field,
    detail: `Invalid value: ${printValue(value)}: ${detail}`,
  }),
};
