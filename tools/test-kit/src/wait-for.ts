/** Polling for what a test or a benchmark cannot be told about, only look at. */

/** Often enough that a test moves on soon after, seldom enough not to load the API server it reads. */
const POLL_MS = 50;

/**
 * Polls `check` until it returns something other than undefined or false, and resolves with that. A check that throws
 * counts as "not yet" (the object may not exist yet). After `timeoutMs` it fails naming `what` it waited for and the
 * last value or error it saw, which is usually the clue.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    }
    await sleep(POLL_MS);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
