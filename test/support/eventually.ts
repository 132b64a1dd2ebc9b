/**
 * Polls `check` until it returns a value other than undefined (or stops throwing), or fails with
 * its last error after `timeoutMs`: what is asynchronous arrives when it arrives, and the tests wait no longer.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
      lastError = new Error('still waiting');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
