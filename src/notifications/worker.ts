// Sends outbox messages. A message's states:
//
//   queued ──claim──▶ sending ──sent──▶ sent
//     ▲                  │ ├──a retryable failure──▶ queued (exponential backoff)
//     │                  │ ├──the last attempt, or a failure retrying cannot fix──▶ failed
//     │                  │ └──cut off at its deadline after it may have reached the relay──▶ failed
//     └──released (the worker stops, or the pass died, before sending it)
//
// Exactly once, with any number of workers on any number of nodes: a claim takes a few rows with
// SKIP LOCKED and writes a fencing token and a lease (LOCK_MS) on each; only the token's holder
// renews or marks a row, and a claim that has been taken over finds nothing to mark. Three things
// keep a row from being claimed again while it is on the wire:
// - A claim takes only what its lane can send within one lease (LOCK_MS / SEND_TIMEOUT_MS rows;
//   SMS one at a time, so a code never waits behind another's slow send while another node is
//   free), and renews a row's lease just before sending it: a row a slow claim did not reach in
//   time has been claimed by another worker and is skipped, not sent again.
// - While a send is pending its lease is renewed every LOCK_MS / 3, fenced by the token.
// - Every send has a hard deadline (SEND_TIMEOUT_MS, shorter than the lease): the transport aborts
//   it then (nodemailer closes the connection, the SMS request is aborted), so even with renewals
//   failing (the database away) a send never outlives the lease it started under. A send cut off
//   may already have reached the relay, so it is not sent again: it fails for good, and the person
//   asks again (an SMS code after the resend interval). A transport that ignores the deadline is
//   not waited for: its late outcome marks the row, whose lease is renewed meanwhile.
// A process that dies mid-send leaves the row 'sending' with a lease that runs out: the next claim
// sends it again (the relay may or may not have taken it; that single message is at least once).
//
// Channels have lanes of their own (SMS, email, platforms), each claiming only its channels: a hung
// SMTP relay holds up email, never an SMS code. Stopping gives back at once every claimed row not
// yet begun, for another node to send now, then waits for the sends in progress for at most the
// time it is given (what is left of the process's stop deadline, STOP_GRACE_MS by default), so
// that they are marked before the database closes; a send still on the wire near the end of that
// time is cut off then, as at its deadline (failed, not sent again).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { OutboxChannel } from '../db/schema.ts';
import type { Channels } from './channels.ts';
import { SmsSendError } from './sms/sender.ts';
import { claimDue, markFailed, markRetry, markSent, releaseClaim, renewClaim } from './queries.ts';
import { coalescedPass, pollLoop, type PollLoop } from '../lib/background-pass.ts';
import { settlesWithin } from '../lib/settles-within.ts';

export const MAX_ATTEMPTS = 8;
const LOCK_MS = 60_000;
/** Each send's hard deadline: the transport aborts it then. Shorter than the lease, and than the 60 s SMS resend interval. */
export const SEND_TIMEOUT_MS = 30_000;
/** How long stopping waits for the sends in progress unless told (SIGTERM must end the process within 10 s). */
const STOP_GRACE_MS = 5_000;
/** The end of that wait kept for marking the sends it cuts off. */
const STOP_MARK_MARGIN_MS = 1_000;

/** Which channels share a lane: one slow channel never delays another's messages. */
export const LANES: Record<string, readonly OutboxChannel[]> = { sms: ['sms'], email: ['email'], platforms: ['webhook', 'backchannel_logout', 'cas_logout'] };
/** Lanes claiming one row at a time: an SMS code is due within the resend interval, and another node may be free to send it. */
const ONE_AT_A_TIME = new Set(['sms']);

export interface WorkerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxWorker {
  /** Sends everything due now, in every lane; resolves when the passes are over. */
  runOnce(): Promise<number>;
  nudge(): void;
  start(): void;
  /**
   * Gives back at once what the lanes claimed and have not begun, then waits at most `waitMs`
   * (STOP_GRACE_MS by default) for the sends in progress to be marked.
   */
  stop(waitMs?: number): Promise<void>;
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
  /** The lease and the send deadline (tests shorten them; the deadline must be shorter than the lease). */
  lockMs?: number;
  sendTimeoutMs?: number;
}

type Row = Awaited<ReturnType<typeof claimDue>>[number];

/** The reason a send is aborted with: a TimeoutError, as AbortSignal.timeout gives, which the SMS sender reads as "outcome unknown". */
const deadlineReason = (ms: number) => new DOMException(`no answer within ${ms} ms`, 'TimeoutError');

/** Whether `error` is the transport giving up because the deadline aborted it (not a verdict of the relay). */
function cutOff(error: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  if (error === signal.reason) return true;
  return error instanceof Error && (error.cause === signal.reason || error.name === 'AbortError' || error.name === 'TimeoutError');
}

export function createOutboxWorker(deps: WorkerDeps): OutboxWorker {
  const lockMs = deps.lockMs ?? LOCK_MS;
  const sendTimeoutMs = deps.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  // A deadline as long as the lease would let a send outlive it whenever renewals fail.
  if (sendTimeoutMs >= lockMs) throw new Error(`the send deadline (${sendTimeoutMs} ms) must be shorter than the lease (${lockMs} ms)`);
  /** Polling runs between start() and stop(); runOnce works either way until stop(). */
  const loop: PollLoop = pollLoop(
    () => runOnce(),
    deps.pollMs,
    (waitMs) => Promise.all(lanes.map((lane) => lane.stop(waitMs ?? STOP_GRACE_MS))),
  );
  const lanes = Object.entries(LANES).map(([name, channels]) =>
    createLane(
      deps,
      { name, channels, claimSize: ONE_AT_A_TIME.has(name) ? 1 : Math.max(1, Math.floor(lockMs / sendTimeoutMs)) },
      lockMs,
      sendTimeoutMs,
      loop.isStopping,
    ),
  );
  const runOnce = async () => (await Promise.all(lanes.map((lane) => lane.runOnce()))).reduce((a, b) => a + b, 0);
  return { runOnce, nudge: loop.nudge, start: loop.start, stop: loop.stop };
}

/** One lane: its passes never overlap; a nudge during a pass runs another after it. */
function createLane(
  deps: WorkerDeps,
  lane: { name: string; channels: readonly OutboxChannel[]; claimSize: number },
  lockMs: number,
  sendTimeoutMs: number,
  isStopped: () => boolean,
) {
  const { name, channels, claimSize } = lane;
  /**
   * The claim in progress, the row being sent and the row sent but not yet marked, so that
   * stopping can give back the rest. A pass that dies (the database went away) leaves it here:
   * the next pass marks the sent row and gives back the others before it claims anything.
   */
  let claim: { token: string; sending: string | undefined; sent?: string | undefined } | undefined;
  /** Rows whose send outlived its deadline, each with the marking of its outcome: never given back while it may still land. */
  const late = new Map<string, Promise<void>>();
  /** The deadline of each send on the wire: stopping pulls it in, so the send is cut off and marked while the database is open. */
  const onTheWire = new Set<AbortController>();

  async function afterFailure(row: Row, token: string, error: unknown, signal: AbortSignal): Promise<void> {
    const reason = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
    if (cutOff(error, signal)) {
      // The relay may have taken it before the connection was closed: sent again it could arrive twice.
      await markFailed(
        deps.db,
        row.id,
        token,
        `cut off after ${sendTimeoutMs} ms, it may have been delivered: not sent again (${reason})`,
        deps.scrubSentBodies,
      );
      deps.log.error({ outboxId: row.id, channel: row.channel, attempts: row.attempts }, 'message send cut off at its deadline; not sent again');
      return;
    }
    const permanent = error instanceof SmsSendError && !error.retryable;
    if (permanent || row.attempts >= MAX_ATTEMPTS) {
      await markFailed(deps.db, row.id, token, reason, deps.scrubSentBodies);
      deps.log.error({ outboxId: row.id, channel: row.channel, attempts: row.attempts }, 'message failed for good');
    } else {
      await markRetry(deps.db, row.id, token, new Date(deps.clock.now().getTime() + backoffMs(row.attempts)), reason);
      deps.log.warn({ outboxId: row.id, channel: row.channel, attempts: row.attempts }, 'message send failed; will retry');
    }
  }

  /** Renews the lease of a row on the wire every lockMs / 3 until it settles; a claim taken over renews nothing. */
  function keepLease(row: Row, token: string): () => void {
    const timer = setInterval(() => {
      renewClaim(deps.db, row.id, token, new Date(deps.clock.now().getTime() + lockMs)).then(
        (held) => {
          if (!held) deps.log.warn({ outboxId: row.id, channel: row.channel }, 'message claimed elsewhere while its send was pending');
        },
        (error: unknown) => deps.log.warn({ outboxId: row.id, err: error instanceof Error ? error.message : String(error) }, 'renewing a lease failed'),
      );
    }, lockMs / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** A send that outlived its deadline (its transport ignored the abort): its late outcome decides, while the claim still holds the row. */
  function settleLate(row: Row, token: string, sending: Promise<void>, signal: AbortSignal): void {
    deps.log.warn({ outboxId: row.id, channel: row.channel, attempts: row.attempts }, 'message send still unanswered; waiting for its outcome');
    const marking = sending
      .then(
        () => markSent(deps.db, row.id, token, deps.clock.now(), deps.scrubSentBodies),
        (error: unknown) => afterFailure(row, token, error, signal),
      )
      .catch((error: unknown) =>
        deps.log.error({ outboxId: row.id, err: error instanceof Error ? error.message : String(error) }, 'marking a late send failed'),
      )
      .finally(() => late.delete(row.id));
    late.set(row.id, marking);
  }

  /** Sends one claimed row within its deadline, its lease renewed meanwhile: true when it was sent (and must be marked). */
  async function send(row: Row, token: string): Promise<boolean> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(deadlineReason(sendTimeoutMs)), sendTimeoutMs);
    const stopRenewing = keepLease(row, token);
    onTheWire.add(deadline);
    const sending = deps.channels
      .send(
        {
          channel: row.channel,
          recipient: row.recipient,
          platformId: row.platform_id,
          subject: row.subject,
          body: row.body,
          html: row.html,
          templateParams: row.template_params as Record<string, string> | null,
        },
        deadline.signal,
      )
      .finally(() => {
        clearTimeout(timer);
        stopRenewing();
        onTheWire.delete(deadline);
      });
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'cut off'>((resolve) => {
      onAbort = () => resolve('cut off');
      deadline.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const outcome = await Promise.race([sending.then(() => 'sent' as const), aborted]);
      if (outcome === 'sent') return true;
      // The transport was told to abort; whatever it answers now (at once, or late if it ignores
      // the signal) marks the row, fenced by the token, and the lane goes on meanwhile.
      settleLate(row, token, sending, deadline.signal);
      return false;
    } catch (error) {
      await afterFailure(row, token, error, deadline.signal);
      return false;
    } finally {
      deadline.signal.removeEventListener('abort', onAbort!);
    }
  }

  /**
   * What a pass that died left claimed: without this, its rows waited out their lease (a minute
   * for an SMS code) and a row the gateway had taken was sent again. Throws while the database is
   * still away, and the next pass tries again.
   */
  async function recoverDeadClaim(left: NonNullable<typeof claim>): Promise<void> {
    if (left.sent) await markSent(deps.db, left.sent, left.token, deps.clock.now(), deps.scrubSentBodies);
    await releaseClaim(deps.db, left.token, [...late.keys()]);
    claim = undefined;
  }

  async function pass(isStopped: () => boolean): Promise<number> {
    let sent = 0;
    if (claim) await recoverDeadClaim(claim);
    while (!isStopped()) {
      const token = randomUUID();
      const batch = await claimDue(deps.db, { now: deps.clock.now(), lockMs, limit: claimSize, token, channels });
      if (batch.length === 0) return sent;
      const current: NonNullable<typeof claim> = (claim = { token, sending: undefined });
      for (const row of batch) {
        if (isStopped()) break;
        // Named before the renewal, and no longer only once it is marked (or named sent): a stop
        // that begins at any moment gives back every other row, never this one.
        current.sending = row.id;
        try {
          if (!(await renewClaim(deps.db, row.id, token, new Date(deps.clock.now().getTime() + lockMs)))) continue;
          if (!(await send(row, token))) continue;
          current.sent = row.id;
        } finally {
          current.sending = undefined;
        }
        // Sent. Marking it is not part of the send: should the database fail here, the message
        // must not count as failed (retried, so sent twice); the next pass marks it instead.
        await markSent(deps.db, row.id, token, deps.clock.now(), deps.scrubSentBodies);
        current.sent = undefined;
        sent++;
      }
      if (isStopped()) await releaseClaim(deps.db, token, [...late.keys()]);
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
    async stop(waitMs: number): Promise<void> {
      const until = Date.now() + waitMs;
      const running = passes.running();
      // At once, not after the wait: another node sends these now, and the database may be gone
      // by the time a hanging send gives up. The row on the wire and the late ones stay claimed
      // (their outcome marks them; should the process end first, their lease runs out).
      let giveBack: Promise<void> | undefined;
      if (claim && running) {
        const { token, sending, sent } = claim;
        giveBack = releaseClaim(deps.db, token, [...(sending ? [sending] : []), ...(sent ? [sent] : []), ...late.keys()]);
      } else if (claim) giveBack = recoverDeadClaim(claim);
      const released = giveBack?.catch((error: unknown) => deps.log.warn({ err: error, lane: name }, 'could not give back claimed messages'));
      const work = () => Promise.all([released, running, ...late.values()].filter((p) => p !== undefined));
      if (!released && !running && late.size === 0) return;
      // A send still on the wire near the end is cut off then, as at its own deadline, so that it
      // is marked (failed: it may have been delivered) before the database closes, rather than
      // left to its lease and sent again by another node.
      const margin = Math.min(STOP_MARK_MARGIN_MS, waitMs / 2);
      if (await settlesWithin(work(), until - margin - Date.now())) return;
      for (const deadline of onTheWire) deadline.abort(deadlineReason(sendTimeoutMs));
      // The pass hands each cut-off send to `late` as it returns: wait for the pass, then for those.
      const marked = (async () => {
        await work();
        await Promise.all(late.values());
      })();
      if (!(await settlesWithin(marked, until - Date.now())))
        deps.log.warn({ lane: name }, 'a message send still in progress at the stop deadline: its lease runs out and another node sends it');
    },
  };
}
