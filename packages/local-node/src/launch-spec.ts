/**
 * What to run for one container: argv, environment and working directory, from the pod spec and the image table.
 * Pure: the caller supplies the pod IP, sandbox root and host environment. Kubernetes semantics where they apply:
 * command replaces the entrypoint (and drops the image's default args), args replace the default args, `$(VAR)`
 * expands from earlier variables and `$$` escapes it, env entries see the ones before them.
 */
import path from 'node:path';
import type { Pod } from '@kruise-agents/kube-runtime';
import type { ResolvedImage } from './image-map';

export interface LaunchContext {
  podIP: string;
  sandboxRoot: string;
  nodeName: string;
  /** The node binary the local node runs on: $(NODE) in the image table. */
  nodeBinary: string;
  /** The node's own environment; only PATH, LANG, LC_ALL and TZ pass into a container. */
  hostEnv: Record<string, string | undefined>;
}

export interface LaunchSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Parts of the spec the node could not honour (valueFrom kinds it does not resolve, envFrom). */
  notes: string[];
}

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: Array<{ name: string; value?: string; valueFrom?: Record<string, unknown> }>;
  envFrom?: unknown[];
}

const PASSED_HOST_ENV = ['PATH', 'LANG', 'LC_ALL', 'TZ'];

export function buildLaunchSpec(
  pod: Pod,
  container: ContainerSpec,
  image: ResolvedImage,
  ctx: LaunchContext,
): LaunchSpec {
  const notes: string[] = [];
  const env: Record<string, string> = {};
  for (const name of PASSED_HOST_ENV) {
    const value = ctx.hostEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.HOME = ctx.sandboxRoot;
  const podVars: Record<string, string> = {
    POD_IP: ctx.podIP,
    POD_NAME: pod.metadata.name ?? '',
    POD_NAMESPACE: pod.metadata.namespace ?? 'default',
    HOSTNAME: pod.metadata.name ?? '',
    SANDBOX_ROOT: ctx.sandboxRoot,
  };
  Object.assign(env, podVars);
  const lookup = (vars: Record<string, string>) => (name: string) => (name === 'NODE' ? ctx.nodeBinary : vars[name]);
  for (const [name, value] of Object.entries(image.mapping.env ?? {})) env[name] = expand(value, lookup(env));
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined || entry.valueFrom === undefined) {
      env[entry.name] = expand(entry.value ?? '', lookup(env));
      continue;
    }
    const resolved = resolveValueFrom(pod, entry.valueFrom, ctx);
    if (resolved === undefined)
      notes.push(
        `env ${entry.name}: valueFrom ${Object.keys(entry.valueFrom).join(',')} is not resolved by the local node`,
      );
    else env[entry.name] = resolved;
  }
  if (container.envFrom?.length) notes.push('envFrom is not resolved by the local node');
  // Pod identity wins over an image's defaults, as the downward API would.
  Object.assign(env, podVars);

  const vars = lookup(env);
  const entrypoint = container.command ?? image.mapping.command;
  const args = container.command ? (container.args ?? []) : (container.args ?? image.mapping.args ?? []);
  const argv = [...entrypoint, ...args].map((part) => expand(part, vars));

  let cwd = ctx.sandboxRoot;
  // A container's workingDir is a path inside the sandbox; an image entry's is a host directory.
  if (container.workingDir) cwd = path.join(ctx.sandboxRoot, path.resolve('/', container.workingDir));
  else if (image.mapping.workingDir) cwd = expand(image.mapping.workingDir, vars);
  return { argv, env, cwd, notes };
}

/** Kubernetes' $(VAR) expansion: unknown references stay as written, `$$` is a literal `$`. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      const value = lookup(name);
      out += value ?? `$(${name})`;
      i = end;
    } else {
      out += c;
    }
  }
  return out;
}

function resolveValueFrom(pod: Pod, from: Record<string, unknown>, ctx: LaunchContext): string | undefined {
  const fieldRef = from.fieldRef as { fieldPath?: string } | undefined;
  if (!fieldRef?.fieldPath) return undefined;
  const fieldPath = fieldRef.fieldPath;
  const m = pod.metadata;
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? m.labels : m.annotations)?.[keyed[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? 'default';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'spec.nodeName':
      return ctx.nodeName;
    case 'spec.serviceAccountName':
      return String(pod.spec.serviceAccountName ?? 'default');
    case 'status.podIP':
      return ctx.podIP;
    case 'status.hostIP':
      return '127.0.0.1';
    default:
      return undefined;
  }
}
