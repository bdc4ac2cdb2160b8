import { describe, expect, it } from '@jest/globals';
import { evaluateJsonPath } from './jsonpath';

const obj = {
  metadata: { labels: { 'agents.kruise.io/sandbox-pool': 'p1' } },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Paused', status: 'False' },
    ],
    podInfo: { podIP: '10.0.0.1' },
  },
};

describe('printer-column JSONPath', () => {
  it('handles escaped dots, indexes, wildcards and filters', () => {
    expect(evaluateJsonPath(obj, '.metadata.labels.agents\\.kruise\\.io/sandbox-pool')).toEqual(['p1']);
    expect(evaluateJsonPath(obj, '.status.conditions[0].type')).toEqual(['Ready']);
    expect(evaluateJsonPath(obj, '.status.conditions[*].type')).toEqual(['Ready', 'Paused']);
    expect(evaluateJsonPath(obj, '.status.conditions[?(@.type=="Paused")].status')).toEqual(['False']);
    expect(evaluateJsonPath(obj, "{.status.podInfo['podIP']}")).toEqual(['10.0.0.1']);
    expect(evaluateJsonPath(obj, '.status.missing')).toEqual([]);
  });
});
