/**
 * Domain errors and their one mapping to the wire: Connect codes for RPCs, HTTP status + JSON for REST.
 * Everything below the boundary throws RuntimeError (or lets fs errors through); handlers never pick codes.
 */
import { Code, ConnectError } from '@connectrpc/connect';

export type ErrorKind =
  | 'not_found'
  | 'already_exists'
  | 'invalid_argument'
  | 'permission_denied'
  | 'unauthenticated'
  | 'failed_precondition'
  | 'resource_exhausted'
  | 'conflict'
  | 'internal';

export class RuntimeError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const CONNECT_CODES: Record<ErrorKind, Code> = {
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  invalid_argument: Code.InvalidArgument,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  failed_precondition: Code.FailedPrecondition,
  resource_exhausted: Code.ResourceExhausted,
  conflict: Code.AlreadyExists,
  internal: Code.Internal,
};

const HTTP_STATUS: Record<ErrorKind, number> = {
  not_found: 404,
  already_exists: 409,
  invalid_argument: 400,
  permission_denied: 403,
  unauthenticated: 401,
  failed_precondition: 400,
  resource_exhausted: 507,
  conflict: 409,
  internal: 500,
};

/** Turns fs/system errors (ENOENT, EACCES, …) into domain errors; leaves RuntimeErrors alone. */
export function toRuntimeError(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOENT':
      return new RuntimeError('not_found', message);
    case 'EEXIST':
      return new RuntimeError('already_exists', message);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new RuntimeError('permission_denied', message);
    case 'ENOTDIR':
    case 'EISDIR':
    case 'EINVAL':
    case 'ENAMETOOLONG':
    case 'ELOOP':
    case 'ENOTEMPTY':
      return new RuntimeError('invalid_argument', message);
    case 'ENOSPC':
    case 'EDQUOT':
      return new RuntimeError('resource_exhausted', message);
    default:
      return new RuntimeError('internal', message);
  }
}

export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const domain = toRuntimeError(error);
  return new ConnectError(domain.message, CONNECT_CODES[domain.kind]);
}

/** HTTP status and the `{code, message}` body that envd's REST endpoints use. */
export function toHttpError(error: unknown): { status: number; body: { code: number; message: string } } {
  const domain = toRuntimeError(error);
  const status = HTTP_STATUS[domain.kind];
  return { status, body: { code: status, message: domain.message } };
}
