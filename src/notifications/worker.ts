// Sends outbox messages. A message's states:
//
//   queued ──claim──▶ sending ──sent──▶ sent
//     ▲                  │ ├──a retryable failure──▶ queued (exponential backoff)
//     │                  │ └──the last attempt, or a failure retrying cannot fix──▶ failed
//     └──released (the worker stops before sending it)
//
// Exactly once, with any number of workers on any number of nodes: a claim takes a batch with
// SKIP LOCKED and writes a fencing token and a lease (LOCK_MS) on each row. Just before a row is
// sent, its claim renews the lease, which it can only do while the token is still its own: rows a
// slow claim did not reach in time have been claimed by another worker and are skipped, not sent
// again. A send unanswered after SEND_TIMEOUT_MS (well within a lease) is not retried: the relay may
// still take it, so its late outcome marks the row, and only the token's holder marks a row. A process that
// dies mid-send leaves the row 'sending' with a lease that runs out: the next claim sends it again
// (the relay may or may not have taken it; that single message is at least once).
//
// Channels have lanes of their own (SMS, email, platforms), each claiming only its channels: a hung
// SMTP relay holds up email, never an SMS code. Stopping waits for the sends in progress for at most
// STOP_GRACE_MS, and gives back every claimed row not yet begun, for another node to send at once.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { OutboxChannel } from '../db/schema.ts';
import type { Channels } from './channels.ts';
import { SmsSendError } from './sms/sender.ts';
import { claimDue, markFailed, markRetry, markSent, releaseClaim, renewClaim } from './queries.ts';
import { coalescedPass, pollLoop, type PollLoop } from '../lib/background-pass.ts';

export const MAX_ATTEMPTS = 8;
const LOCK_MS = 60_000;
/** A send not done by then is abandoned as failed (and retried): well inside its lease. */
export const SEND_TIMEOUT_MS = 30_000;
const BATCH = 20;
/** How long stopping waits for the sends in progress (SIGTERM must end the process within 10 s). */
const STOP_GRACE_MS = 5_000;

/** Which channels share a lane: one slow channel never delays another's messages. */
export const LANES: Record<string, readonly OutboxChannel[]> = { sms: ['sms'], email: ['email'], platforms: ['webhook', 'backchannel_logout', 'cas_logout'] };

export interface WorkerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxWorker {
  /** Sends everything due now, in every lane; resolves when the passes are over. */
  runOnce(): Promise<number>;
  nudge(): void;
  start(): void;
  stop(): Promise<void>;
}

/** 5 s, 10 s, 20 s … capped at one hour. */
export const backoffMs = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 3_600_000);

export interface WorkerDeps {
  db: Db;
  clock: Clock;
  channels: Channels;
  pollMs: number;
  scrubSentBodies: boolean;
  log: WorkerLog;
  /** The lease and the send timeout (tests shorten them; the send timeout must stay well under the lease). */
  lockMs?: number;
  sendTimeoutMs?: number;
}

class SendTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createOutboxWorker(deps: WorkerDeps): OutboxWorker {
  const lockMs = deps.lockMs ?? LOCK_MS;
  const sendTimeoutMs = deps.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  /** Polling runs between start() and stop(); runOnce works either way until stop(). */
  const loop: PollLoop = pollLoop(
    () => runOnce(),
    deps.pollMs,
    () => Promise.all(lanes.map((lane) => lane.stop())),
  );
  const lanes = Object.entries(LANES).map(([name, channels]) => createLane(deps, name, channels, lockMs, sendTimeoutMs, loop.isStopping));
  const runOnce = async () => (await Promise.all(lanes.map((lane) => lane.runOnce()))).reduce((a, b) => a + b, 0);
  return { runOnce, nudge: loop.nudge, start: loop.start, stop: loop.stop };
}

/** One lane: its passes never overlap; a nudge during a pass runs another after it. */
function createLane(deps: WorkerDeps, name: string, channels: readonly OutboxChannel[], lockMs: number, sendTimeoutMs: number, isStopped: () => boolean) {
  /**
   * The claim in progress, the row being sent and the row sent but not yet marked, so that
   * stopping can give back the rest. A pass that dies (the database went away) leaves it here:
   * the next pass marks the sent row and gives back the others before it claims anything.
   */
  let claim: { token: string; sending: string | undefined; sent?: string | undefined } | undefined;
  /** Rows whose send outlived the timeout and waits for its outcome: never given back while it may still land. */
  const late = new Set<string>();

  async function afterFailure(row: { id: string; channel: OutboxChannel; attempts: number }, token: string, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
    const permanent = error instanceof SmsSendError && !error.retryable;
    if (permanent || row.attempts >= MAX_ATTEMPTS) {
      await markFailed(deps.db, row.id, token, reason, deps.scrubSentBodies);
      deps.log.error({ outboxId: row.id, channel: row.channel, attempts: row.attempts }, 'message failed for good');
    } else {
      await markRetry(deps.db, row.id, token, new Date(deps.clock.now().getTime() + backoffMs(row.attempts)), reason);
      deps.log.warn({ outboxId: row.id, channel: row.channel, attempts: row.attempts }, 'message send failed; will retry');
    }
  }

  /** A send that outlived SEND_TIMEOUT_MS: its late outcome decides, while the claim still holds the row. */
  function settleLate(row: { id: string; channel: OutboxChannel; attempts: number }, token: string, sending: Promise<void>): void {
    deps.log.warn({ outboxId: row.id, channel: row.channel, attempts: row.attempts }, 'message send still unanswered; waiting for its outcome');
    late.add(row.id);
    sending
      .then(
        () => markSent(deps.db, row.id, token, deps.clock.now(), deps.scrubSentBodies),
        (error: unknown) => afterFailure(row, token, error),
      )
      .catch((error: unknown) =>
        deps.log.error({ outboxId: row.id, err: error instanceof Error ? error.message : String(error) }, 'marking a late send failed'),
      )
      .finally(() => late.delete(row.id));
  }

  /**
   * What a pass that died left claimed: without this, its rows waited out their lease (a minute
   * for an SMS code) and a row the gateway had taken was sent again. Throws while the database is
   * still away, and the next pass tries again.
   */
  async function recoverDeadClaim(left: NonNullable<typeof claim>): Promise<void> {
    if (left.sent) await markSent(deps.db, left.sent, left.token, deps.clock.now(), deps.scrubSentBodies);
    await releaseClaim(deps.db, left.token, [...late]);
    claim = undefined;
  }

  async function pass(isStopped: () => boolean): Promise<number> {
    let sent = 0;
    if (claim) await recoverDeadClaim(claim);
    while (!isStopped()) {
      const token = randomUUID();
      const batch = await claimDue(deps.db, { now: deps.clock.now(), lockMs, limit: BATCH, token, channels });
      if (batch.length === 0) return sent;
      claim = { token, sending: undefined };
      for (const row of batch) {
        if (isStopped()) break;
        if (!(await renewClaim(deps.db, row.id, token, new Date(deps.clock.now().getTime() + lockMs)))) continue;
        claim.sending = row.id;
        const sending = deps.channels.send({
          channel: row.channel,
          recipient: row.recipient,
          platformId: row.platform_id,
          subject: row.subject,
          body: row.body,
          html: row.html,
          templateParams: row.template_params as Record<string, string> | null,
        });
        try {
          await withTimeout(sending, sendTimeoutMs);
        } catch (error) {
          // No answer in time is not a failure: a slow relay may still take the message, and a
          // retry then would send it twice. The row stays claimed under its lease while the lane
          // goes on, and the send's own outcome, whenever it comes, marks it (fenced by the token);
          // a send that never ends lets the lease run out, and the next claim sends it again.
          if (error instanceof SendTimeout) settleLate(row, token, sending);
          else await afterFailure(row, token, error);
          continue;
        } finally {
          claim.sending = undefined;
        }
        // Sent. Marking it is not part of the send: should the database fail here, the message
        // must not count as failed (retried, so sent twice); the next pass marks it instead.
        claim.sent = row.id;
        await markSent(deps.db, row.id, token, deps.clock.now(), deps.scrubSentBodies);
        claim.sent = undefined;
        sent++;
      }
      if (isStopped()) await releaseClaim(deps.db, token, [...late]);
      claim = undefined;
    }
    return sent;
  }

  const passes = coalescedPass(
    () => pass(isStopped),
    (error) => deps.log.error({ err: error, lane: name }, 'outbox pass failed'),
    isStopped,
  );

  return {
    runOnce: passes.run,
    async stop(): Promise<void> {
      const running = passes.running();
      if (!running) return;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'grace over'>((resolve) => {
        timer = setTimeout(() => resolve('grace over'), STOP_GRACE_MS);
      });
      const outcome = await Promise.race([running, grace]);
      clearTimeout(timer);
      // A send still hanging: give back what the claim holds besides it (its own row's lease runs
      // out and another node sends it; the relay may have taken it, so that one is at least once).
      if (outcome === 'grace over' && claim) {
        const { token, sending, sent } = claim;
        await releaseClaim(deps.db, token, [...(sending ? [sending] : []), ...(sent ? [sent] : []), ...late]).catch((error: unknown) =>
          deps.log.warn({ err: error, lane: name }, 'could not give back claimed messages'),
        );
      }
    },
  };
}
