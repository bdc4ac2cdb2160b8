import { describe, expect, it } from '@jest/globals';
import { removeCondition, setCondition } from './conditions';
import { T0, at } from './testing';

describe('setCondition', () => {
  const ready = { type: 'Ready', status: 'False' as const, reason: 'A', lastTransitionTime: at(0) };

  it('appends a new condition stamped now', () => {
    expect(setCondition([], { type: 'Ready', status: 'True', reason: 'R' }, T0 + 5000)).toEqual([
      { type: 'Ready', status: 'True', reason: 'R', lastTransitionTime: at(5000) },
    ]);
  });

  it('keeps lastTransitionTime when the status stays, updating reason and message', () => {
    const [next] = setCondition([ready], { type: 'Ready', status: 'False', reason: 'B', message: 'm' }, T0 + 9000);
    expect(next).toEqual({ type: 'Ready', status: 'False', reason: 'B', message: 'm', lastTransitionTime: at(0) });
  });

  it('moves lastTransitionTime when the status changes, preferring the given one', () => {
    expect(setCondition([ready], { type: 'Ready', status: 'True' }, T0 + 9000)[0]?.lastTransitionTime).toBe(at(9000));
    expect(
      setCondition([ready], { type: 'Ready', status: 'True', lastTransitionTime: at(7000) }, T0 + 9000)[0]
        ?.lastTransitionTime,
    ).toBe(at(7000));
  });

  it('does not mutate its input and removes by type', () => {
    const list = [ready];
    setCondition(list, { type: 'Other', status: 'True' }, T0);
    expect(list).toHaveLength(1);
    expect(removeCondition(list, 'Ready')).toEqual([]);
  });
});
