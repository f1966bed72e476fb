// The two halves every background worker here shares (the outbox's lanes, the data-export
// builder): a pass that never runs twice at once — a call while one runs asks for one more
// afterwards, so nothing nudged meanwhile waits for the next tick — and a poll loop that runs it
// every pollMs between start() and stop(), with nudge() for work just queued.

export interface CoalescedPass {
  run(): Promise<number>;
  /** The pass running now, if any (stopping waits for it). */
  running(): Promise<number> | undefined;
}

/** `pass` behind a latch: concurrent calls share the running pass and ask for one more after it. */
export function coalescedPass(pass: () => Promise<number>, onError: (error: unknown) => void, isStopped: () => boolean): CoalescedPass {
  let running: Promise<number> | undefined;
  let again = false;
  const runOnce = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .catch((error: unknown) => {
        onError(error);
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again && !isStopped()) {
          again = false;
          void runOnce();
        }
      });
    return running;
  };
  return { run: runOnce, running: () => running };
}

export interface PollLoop {
  /** True from stop() until the next start(): passes check it between rows. */
  isStopping(): boolean;
  nudge(): void;
  start(): void;
  /** Stops polling, then waits for `drain` (the running passes, giving back what they claimed), at most `waitMs` when given. */
  stop(waitMs?: number): Promise<void>;
}

export function pollLoop(runOnce: () => Promise<unknown>, pollMs: number, drain: (waitMs?: number) => Promise<unknown>): PollLoop {
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let stopping = false;
  const schedule = () => {
    if (!polling) return;
    timer = setTimeout(async () => {
      await runOnce();
      schedule();
    }, pollMs);
    timer.unref();
  };
  return {
    isStopping: () => stopping,
    nudge() {
      if (polling) void runOnce();
    },
    start() {
      polling = true;
      stopping = false;
      schedule();
    },
    async stop(waitMs) {
      polling = false;
      stopping = true;
      if (timer) clearTimeout(timer);
      await drain(waitMs);
    },
  };
}
