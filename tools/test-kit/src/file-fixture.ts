/** Jest only (it registers hooks): imported as `test-kit/jest`, so that the benchmarks can use the rest outside jest. */
import { afterAll, beforeAll } from '@jest/globals';

/**
 * One fixture for all the tests of a file: started before the first, closed after the last. What it returns stands
 * for the started fixture (reads and writes of its properties go to it), so a test file needs no `let` and no hooks of
 * its own. Used before beforeAll has run (at the file's top level) it throws rather than hand out undefined.
 */
export function fileFixture<T extends { close(): unknown }>(start: () => Promise<T>, timeoutMs?: number): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, timeoutMs);
  afterAll(async () => {
    await started?.close();
  });
  const current = (): T => {
    if (!started) throw new Error('the file fixture is used before beforeAll started it');
    return started;
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(current(), key),
    set: (_, key, value) => Reflect.set(current(), key, value),
    has: (_, key) => Reflect.has(current(), key),
  });
}
