// Sends outbox messages: queued → sending → sent, or back to queued with exponential backoff,
// or failed after the last attempt or an error retrying cannot fix. A crash while sending leaves
// the row 'sending' with an expired lock, and the next pass sends it again (at least once).
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Channels } from './channels.ts';
import { SmsSendError } from './sms/sender.ts';
import { claimDue, markFailed, markRetry, markSent } from './queries.ts';

export const MAX_ATTEMPTS = 8;
const LOCK_MS = 60_000;
const BATCH = 20;

export interface WorkerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxWorker {
  /** Sends everything due now; resolves when the pass is over. */
  runOnce(): Promise<number>;
  nudge(): void;
  start(): void;
  stop(): Promise<void>;
}

/** 5 s, 10 s, 20 s … capped at one hour. */
export const backoffMs = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 3_600_000);

export function createOutboxWorker(deps: { db: Db; clock: Clock; channels: Channels; pollMs: number; scrubSentBodies: boolean; log: WorkerLog }): OutboxWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;

  async function pass(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await claimDue(deps.db, deps.clock.now(), LOCK_MS, BATCH);
      if (batch.length === 0) return sent;
      for (const row of batch) {
        try {
          await deps.channels.send({
            channel: row.channel,
            recipient: row.recipient,
            platformId: row.platform_id,
            subject: row.subject,
            body: row.body,
            html: row.html,
            templateParams: row.template_params as Record<string, string> | null,
          });
          await markSent(deps.db, row.id, deps.clock.now(), deps.scrubSentBodies);
          sent++;
        } catch (error) {
          const reason = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
          const permanent = error instanceof SmsSendError && !error.retryable;
          if (permanent || row.attempts >= MAX_ATTEMPTS) {
            await markFailed(deps.db, row.id, reason);
            deps.log.error({ outboxId: row.id, channel: row.channel, attempts: row.attempts }, 'message failed for good');
          } else {
            await markRetry(deps.db, row.id, new Date(deps.clock.now().getTime() + backoffMs(row.attempts)), reason);
            deps.log.warn({ outboxId: row.id, channel: row.channel, attempts: row.attempts }, 'message send failed; will retry');
          }
        }
      }
    }
  }

  function runOnce(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .catch((error: unknown) => {
        deps.log.error({ err: error }, 'outbox pass failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void runOnce();
        }
      });
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(async () => {
      await runOnce();
      schedule();
    }, deps.pollMs);
    timer.unref();
  }

  return {
    runOnce,
    nudge() {
      if (!stopped) void runOnce();
    },
    start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
