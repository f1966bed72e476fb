// Work done on a timer beside the requests: the clean-up, and cases that fall due by time alone
// (a classmate verification whose notice period ended). Each task is safe to run on several nodes
// at once (it locks and re-checks what it changes), so every node runs it; a run still going when
// the next is due is not started twice.
/** Runs `task` every `intervalMs`; the function returned stops the timer and waits for a run in progress. */
export function every(intervalMs: number, task: () => Promise<unknown>, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = task()
      .then(() => undefined, onError)
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
