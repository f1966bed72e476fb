// Waiting for something that may never end (a request on a frozen database, a hung relay) only
// as long as a deadline allows. The promise goes on; the caller decides what to do without it.

/** True when `promise` settled (resolved or rejected) within `ms`; it is never left unhandled. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = promise.then(
    () => true,
    () => true,
  );
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
    timer.unref();
  });
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
