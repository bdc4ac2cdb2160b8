// Running the operator: Lease leader election (one replica runs the controllers; a successor takes over after a
// clean shutdown), /healthz, /readyz and Prometheus /metrics.
import { expect, it } from '@jest/globals';
import { Resources, type Lease } from '@kruise-agents/kube-runtime';
import { pino } from 'pino';
import { waitFor } from 'test-kit';
import { fileFixture } from 'test-kit/jest';
import { aClaim, aSet, startHarness, waitForAvailable } from './harness';

const election = (identity: string) => ({
  namespace: 'default',
  name: 'operator-test',
  identity,
  leaseDurationMs: 2000,
  renewDeadlineMs: 1500,
  retryPeriodMs: 200,
});

const h = fileFixture(() => startHarness({ leaderElection: election('first'), health: { port: 0 } }));

it('runs the controllers on the Lease holder only, and hands over on shutdown', async () => {
  await waitFor('first leads', () => h.operator.isLeader());
  const second = await h.startOperator({ leaderElection: election('second'), logger: pino({ level: 'silent' }) });
  const lease = (await h.kube.resource(Resources.Lease).get('default', 'operator-test')) as Lease;
  expect(lease.spec.holderIdentity).toBe('first');
  expect(second.isLeader()).toBe(false);

  await h.sets.create(aSet('leader', 2));
  await waitForAvailable(h, 'leader', 2);
  await h.operator.close();
  await waitFor('second takes over', () => second.isLeader(), 10_000);
  await h.claims.create(aClaim('after-handover', 'leader'));
  await waitFor(
    'claim served by the new leader',
    async () => (await h.claims.get('default', 'after-handover')).status?.phase === 'Completed',
  );
  await second.close();
});

it('serves /healthz, /readyz and /metrics', async () => {
  const op = await h.startOperator({ health: { port: 0 } });
  await h.sets.create(aSet('metrics', 1));
  await waitForAvailable(h, 'metrics', 1);
  await h.claims.create(aClaim('metrics', 'metrics'));
  await waitFor('claim done', async () => (await h.claims.get('default', 'metrics')).status?.phase === 'Completed');
  expect((await fetch(`${op.healthUrl}/healthz`)).status).toBe(200);
  expect((await fetch(`${op.healthUrl}/readyz`)).status).toBe(200);
  const text = await waitFor('pool gauge', async () => {
    const body = await (await fetch(`${op.healthUrl}/metrics`)).text();
    return body.includes('kruise_agents_pool_sandboxes{namespace="default",pool="metrics",state="available"} 1')
      ? body
      : undefined;
  });
  expect(text).toMatch(/kruise_agents_reconcile_total\{controller="sandboxclaim",outcome="[a-z]+"\} \d+/);
  expect(text).toMatch(/kruise_agents_reconcile_duration_seconds_bucket/);
  expect(text).toMatch(/kruise_agents_workqueue_depth\{controller="sandbox"\} \d+/);
  expect(text).toMatch(/kruise_agents_claim_duration_seconds_count\{outcome="AllClaimed"\} [1-9]/);
  expect(text).toMatch(/kruise_agents_claim_lock_duration_seconds_count\{outcome="claimed"\} [1-9]/);
  expect(text).toMatch(/kruise_agents_cached_objects\{kind="Sandbox"\} \d+/);
  expect((await fetch(`${op.healthUrl}/nope`)).status).toBe(404);
  await op.close();
});
