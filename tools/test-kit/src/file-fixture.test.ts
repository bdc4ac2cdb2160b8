import { afterAll, describe, expect, it } from '@jest/globals';
import { fileFixture } from './file-fixture';

const events: string[] = [];

describe('a file fixture', () => {
  const fixture = fileFixture(async () => {
    events.push('started');
    return {
      count: 1,
      close() {
        events.push('closed');
      },
    };
  });
  let early: unknown;
  try {
    void fixture.count;
  } catch (error) {
    early = error;
  }

  it('is started before the first test and stands for the started object', () => {
    expect(events).toEqual(['started']);
    expect(fixture.count).toBe(1);
    fixture.count = 2;
  });

  it('is the same object in every test of the file', () => {
    expect(fixture.count).toBe(2);
    expect('close' in fixture).toBe(true);
  });

  it('threw when read before it was started', () => {
    expect(early).toEqual(new Error('the file fixture is used before beforeAll started it'));
  });
});

afterAll(() => {
  // The describe block's afterAll hooks (the fixture's close) run before the file's.
  expect(events).toEqual(['started', 'closed']);
});
