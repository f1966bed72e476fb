// Work done on a timer beside the requests: the clean-up, and cases that fall due by time alone
// (a classmate verification whose notice period ended). Each task is safe to run on several nodes
// at once (it locks and re-checks what it changes), so every node runs it; a run still going when
// the next is due is not started twice.
export function every(intervalMs: number, task: () => Promise<unknown>, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
