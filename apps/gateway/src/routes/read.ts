/** GET /sandboxes/{id}, GET /v2/sandboxes and the v1 list, GET /sandboxes/{id}/metrics: all from the cache. */
import { Annotations } from '@kruise-agents/api';
import {
  E2bApiError,
  pageListed,
  parseListQuery,
  runtimeAddressOf,
  toListedSandbox,
  toSandboxDetail,
  toSandboxMetric,
  type EnvdMetrics,
  type ListedSandbox,
  type SandboxDetail,
  type SandboxMetric,
} from '@kruise-agents/e2b';
import type { Principal } from '../auth/key-store';
import { viewOf, type GatewayContext } from '../context';
import type { VisibleSandbox } from '../sandbox-registry';

/** The sandbox as `principal` may see it, or the 404 the SDK turns into SandboxNotFoundError. */
export async function lookup(ctx: GatewayContext, principal: Principal, id: string): Promise<VisibleSandbox> {
  const found = await ctx.registry.find(id, principal);
  if (!found) throw E2bApiError.notFound(`sandbox "${id}" not found`);
  return found;
}

export async function getSandbox(ctx: GatewayContext, principal: Principal, id: string): Promise<SandboxDetail> {
  const { sandbox, state } = await lookup(ctx, principal, id);
  return toSandboxDetail(sandbox, state, viewOf(ctx));
}

export function listSandboxes(
  ctx: GatewayContext,
  principal: Principal,
  params: URLSearchParams,
  version: 'v1' | 'v2',
): { page: ListedSandbox[]; nextToken?: string } {
  const query = parseListQuery(params, version);
  const view = viewOf(ctx);
  const items = ctx.registry.listVisible(principal).map(({ sandbox, state }) => toListedSandbox(sandbox, state, view));
  return pageListed(items, query);
}

export async function sandboxMetrics(ctx: GatewayContext, principal: Principal, id: string): Promise<SandboxMetric[]> {
  const { sandbox, state } = await lookup(ctx, principal, id);
  const address = runtimeAddressOf(sandbox);
  if (state !== 'running' || !address) return [];
  const token = sandbox.metadata.annotations?.[Annotations.RuntimeAccessToken];
  try {
    const res = await ctx.runtime.request(address, 'GET', '/metrics', {
      headers: token ? { 'x-access-token': token } : {},
    });
    if (res.status !== 200) return [];
    return [toSandboxMetric(JSON.parse(res.body) as EnvdMetrics, ctx.now())];
  } catch {
    // Metrics are best effort: a runtime that cannot answer has no samples, which the SDK accepts.
    return [];
  }
}
