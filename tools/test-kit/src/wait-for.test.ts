import { describe, expect, it } from '@jest/globals';
import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first value that is neither undefined nor false, treating a throw as not yet', async () => {
    let calls = 0;
    const value = await waitFor('the third call', () => {
      calls++;
      if (calls === 1) throw new Error('not there yet');
      return calls === 3 ? { calls } : undefined;
    });
    expect(value).toEqual({ calls: 3 });
  });

  it('fails after the timeout naming what it waited for and the last value seen', async () => {
    await expect(waitFor('the pool to fill', async () => false, 120)).rejects.toThrow(
      'timed out after 120 ms waiting for the pool to fill; last: false',
    );
  });

  it('quotes the last error message when the check kept throwing', async () => {
    await expect(
      waitFor(
        'the object',
        () => {
          throw new Error('404 not found');
        },
        80,
      ),
    ).rejects.toThrow('last: "404 not found"');
  });
});
