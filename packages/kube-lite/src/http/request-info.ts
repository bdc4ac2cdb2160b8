/** Splits a request path into what it addresses, like apiserver's RequestInfoFactory. */
import { errors } from '../errors';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  verb: Verb;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Returns undefined for non-resource paths (discovery, openapi, health, version). */
export function parseResourcePath(
  method: string,
  pathname: string,
  query: URLSearchParams,
): ResourceRequest | undefined {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else return undefined;

  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1]!;
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
    else namespace = '';
  }
  if (rest.length === 0 || rest.length > 3) throw errors.pathNotFound();
  const [resource, name = '', subresource = ''] = rest as [string, string?, string?];

  const watch = legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1';
  let verb: Verb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = watch ? 'watch' : name ? 'get' : 'list';
      break;
    case 'POST':
      // POST to a named subresource (pods/binding, pods/eviction) creates that subresource.
      if (name && !subresource) throw errors.methodNotAllowed(method);
      verb = 'create';
      break;
    case 'PUT':
      if (!name) throw errors.methodNotAllowed(method);
      verb = 'update';
      break;
    case 'PATCH':
      if (!name) throw errors.methodNotAllowed(method);
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      throw errors.methodNotAllowed(method);
  }
  return { group, version, namespace, resource, name, subresource, verb };
}
