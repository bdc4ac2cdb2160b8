import { describe, expect, it } from '@jest/globals';
import { API_VERSION } from '../group';
import { ValidationError } from '../errors';
import { validate, validateObject } from '../validation';
import { SandboxClaimSchema, SandboxClaimSpecSchema } from './sandbox-claim';
import { SandboxSchema, SandboxSpecSchema, SandboxStatusSchema } from './sandbox';
import { SandboxSetSchema, SandboxSetSpecSchema } from './sandbox-set';
import { SandboxTemplateSchema } from './sandbox-template';

const template = { spec: { containers: [{ name: 'main', image: 'demo:latest' }] } };
const meta = { name: 'demo', namespace: 'default' };

/** The violations a value produces, as `path: rule` strings. */
function violations(schema: Parameters<typeof validate>[0], value: unknown): string[] {
  try {
    validate(schema, value);
  } catch (error) {
    if (error instanceof ValidationError) return error.violations.map((v) => `${v.path}: ${v.rule}`);
    throw error;
  }
  return [];
}

describe('SandboxClaim', () => {
  it('applies the documented defaults', () => {
    expect(validate(SandboxClaimSpecSchema, { templateName: 'demo' })).toEqual({
      templateName: 'demo',
      replicas: 1,
      claimTimeout: '1m',
      ttlAfterCompleted: '60m',
      reserveFailedSandbox: false,
      createOnNoStock: true,
      waitReadyTimeout: '30s',
      skipInitRuntime: false,
    });
  });

  it('keeps every spec field the reference lists', () => {
    const spec = {
      templateName: 'demo',
      replicas: 10,
      shutdownTime: '2026-01-01T00:00:00Z',
      claimTimeout: '5m',
      ttlAfterCompleted: '-1',
      labels: { team: 'a' },
      annotations: { note: 'x' },
      envVars: { FOO: 'bar' },
      inplaceUpdate: { image: 'new:latest', resources: { requests: { cpu: '500m' }, limits: { cpu: 1 } } },
      dynamicVolumesMount: [
        { pvName: 'pv1', mountPath: '/data', subPath: 'a', readOnly: true, attributes: { k: 'v' } },
      ],
      runtimes: [{ name: 'agent-runtime' }],
      reserveFailedSandbox: true,
      createOnNoStock: false,
      waitReadyTimeout: '1m',
      skipInitRuntime: true,
    };
    expect(validate(SandboxClaimSpecSchema, spec)).toEqual(spec);
  });

  it.each([
    [{}, 'templateName: is required'],
    [{ templateName: '' }, 'templateName: must be at least 1 characters'],
    [{ templateName: 'demo', replicas: 0 }, 'replicas: must be ≥ 1'],
    [{ templateName: 'demo', replicas: 1.5 }, 'replicas: must be an integer'],
    [{ templateName: 'demo', replicas: '2' }, 'replicas: must be a number'],
    [{ templateName: 'demo', claimTimeout: '500ms' }, 'claimTimeout: must be ≥ 1s'],
    [{ templateName: 'demo', claimTimeout: 'soon' }, 'claimTimeout: must be a duration such as "30s", "1m" or "1h30m"'],
    [{ templateName: 'demo', waitReadyTimeout: '0' }, 'waitReadyTimeout: must be ≥ 1s'],
    [
      { templateName: 'demo', ttlAfterCompleted: '1 day' },
      'ttlAfterCompleted: must be a duration such as "30s", "1m" or "1h30m"',
    ],
    [{ templateName: 'demo', shutdownTime: 'tomorrow' }, 'shutdownTime: must be an RFC 3339 date-time'],
    [{ templateName: 'demo', labels: { a: 1 } }, 'labels.a: must be a string'],
    [
      { templateName: 'demo', dynamicVolumesMount: [{ pvName: 'pv', mountPath: 'data' }] },
      'dynamicVolumesMount[0].mountPath: must be an absolute path',
    ],
    [
      { templateName: 'demo', dynamicVolumesMount: [{ mountPath: '/data' }] },
      'dynamicVolumesMount[0].pvName: is required',
    ],
    [
      { templateName: 'demo', runtimes: [{ name: 'docker' }] },
      'runtimes[0].name: must be one of "agent-runtime", "csi", "traffic-proxy"',
    ],
  ])('rejects %j with "%s"', (spec, message) => {
    expect(violations(SandboxClaimSpecSchema, spec)).toContain(message);
  });

  it('reports every broken rule at once, with full paths from the object root', () => {
    const claim = { apiVersion: API_VERSION, kind: 'SandboxClaim', metadata: meta, spec: { replicas: 0 } };
    expect(() => validateObject(claim)).toThrow(
      'SandboxClaim default/demo is invalid: spec.templateName: is required; spec.replicas: must be ≥ 1',
    );
  });

  it('accepts a status with the documented phases only', () => {
    const claim = {
      apiVersion: API_VERSION,
      kind: 'SandboxClaim',
      metadata: meta,
      spec: { templateName: 'demo' },
      status: { phase: 'Claiming', claimedReplicas: 2, claimStartTime: '2026-01-01T00:00:00Z' },
    };
    expect(validate(SandboxClaimSchema, claim).status?.claimedReplicas).toBe(2);
    expect(violations(SandboxClaimSchema, { ...claim, status: { phase: 'Pending' } })).toEqual([
      'status.phase: must be one of "Claiming", "Completed"',
    ]);
  });
});

describe('Sandbox', () => {
  it('needs exactly one of template and templateRef', () => {
    expect(violations(SandboxSpecSchema, {})).toEqual(['template: must set exactly one of template and templateRef']);
    expect(violations(SandboxSpecSchema, { template, templateRef: { name: 't' } })).toEqual([
      'template: must set exactly one of template and templateRef',
    ]);
    expect(violations(SandboxSpecSchema, { templateRef: { name: 't' } })).toEqual([]);
  });

  it('keeps the pod template fields it does not model (it is schemaless in the CRD)', () => {
    const spec = validate(SandboxSpecSchema, {
      template: { spec: { containers: [{ name: 'main', image: 'x', tty: true }], hostNetwork: false } },
    });
    expect(spec.template?.spec).toEqual({ containers: [{ name: 'main', image: 'x', tty: true }], hostNetwork: false });
  });

  it('validates what it does model in the pod template', () => {
    expect(violations(SandboxSpecSchema, { template: { spec: { containers: [] } } })).toEqual([
      'template.spec.containers: must have at least 1 container',
    ]);
  });

  it('keeps timers, pause and status fields', () => {
    const sandbox = validate(SandboxSchema, {
      apiVersion: API_VERSION,
      kind: 'Sandbox',
      metadata: meta,
      spec: {
        template,
        paused: true,
        shutdownTime: '2026-01-01T00:00:00Z',
        pauseTime: '2026-01-01T00:00:00+08:00',
        pauseStrategy: { type: 'Freeze' },
      },
      status: {
        phase: 'Paused',
        message: 'paused by user',
        conditions: [{ type: 'Ready', status: 'False', reason: 'Paused' }],
        podInfo: { podIP: '127.0.0.2', nodeName: 'local', podUID: 'u' },
        updateRevision: '123',
      },
    });
    expect(sandbox.spec.pauseStrategy).toEqual({ type: 'Freeze' });
    expect(sandbox.status?.podInfo?.podIP).toBe('127.0.0.2');
  });

  it('defaults the pause strategy to Stop', () => {
    expect(validate(SandboxSpecSchema, { template, pauseStrategy: {} }).pauseStrategy).toEqual({ type: 'Stop' });
  });

  it('rejects an unknown phase', () => {
    expect(violations(SandboxStatusSchema, { phase: 'Sleeping' })[0]).toMatch(
      /^phase: must be one of "Pending", "Running"/,
    );
  });
});

describe('SandboxSet', () => {
  it('requires replicas ≥ 0 and defaults the rolling-update budget to 20%', () => {
    expect(violations(SandboxSetSpecSchema, { template })).toEqual(['replicas: is required']);
    expect(violations(SandboxSetSpecSchema, { template, replicas: -1 })).toEqual(['replicas: must be ≥ 0']);
    expect(validate(SandboxSetSpecSchema, { template, replicas: 0 }).updateStrategy).toEqual({ maxUnavailable: '20%' });
  });

  it('takes maxUnavailable as an integer or a percentage', () => {
    expect(
      validate(SandboxSetSpecSchema, { template, replicas: 3, updateStrategy: { maxUnavailable: 2 } }).updateStrategy,
    ).toEqual({ maxUnavailable: 2 });
    expect(
      violations(SandboxSetSpecSchema, { template, replicas: 3, scaleStrategy: { maxUnavailable: 'half' } }),
    ).toEqual(['scaleStrategy.maxUnavailable: must be an integer or a percentage such as "20%"']);
  });

  it('refuses e2b extension keys in the pod template metadata', () => {
    const bad = { ...template, metadata: { labels: { 'e2b.agents.kruise.io/image': 'x' } } };
    expect(violations(SandboxSetSpecSchema, { template: bad, replicas: 1 })).toEqual([
      'template.metadata: must not use the e2b.agents.kruise.io/ prefix in labels or annotations',
    ]);
  });

  it('parses a whole object with status', () => {
    const set = validate(SandboxSetSchema, {
      apiVersion: API_VERSION,
      kind: 'SandboxSet',
      metadata: meta,
      spec: { template, replicas: 5 },
      status: { replicas: 5, availableReplicas: 3, updatedReplicas: 5, observedGeneration: 2, selector: 'a=b' },
    });
    expect(set.status).toMatchObject({ replicas: 5, availableReplicas: 3, updatedReplicas: 5, observedGeneration: 2 });
  });
});

describe('SandboxTemplate', () => {
  it('requires a template', () => {
    expect(
      violations(SandboxTemplateSchema, { apiVersion: API_VERSION, kind: 'SandboxTemplate', metadata: meta, spec: {} }),
    ).toEqual(['spec.template: is required']);
  });
});

describe('validateObject', () => {
  it('names the accepted kinds for an unknown one', () => {
    expect(() => validateObject({ kind: 'Pod' })).toThrow(
      'kind: must be one of Sandbox, SandboxSet, SandboxClaim, SandboxTemplate',
    );
  });

  it('insists on this group version', () => {
    expect(() => validateObject({ apiVersion: 'v1', kind: 'Sandbox', metadata: meta, spec: { template } })).toThrow(
      'apiVersion: must be agents.kruise.io/v1alpha1',
    );
  });
});
