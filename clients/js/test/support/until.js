/**
 * Awaits a condition: polls it every 10 ms until it returns something truthy, which is returned.
 * Fails after `timeout` ms naming what it waited for. Tests wait for what they expect, never for a
 * fixed time.
 */
export async function until(condition, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
