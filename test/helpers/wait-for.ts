/**
 * The one way tests wait for something asynchronous to happen (a worker's job, a Slack post, an email): polls
 * `probe` until it returns something other than undefined or false, and returns that. After `timeoutMs` it
 * throws, naming `what`. Only outcomes are asserted, never how long they took.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 25_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
