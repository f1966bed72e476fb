// What a request has spent on the rate limits, so that a request the database outage answered 503
// can give it back: that request never happened for the person (nothing was saved, no code sent),
// and keeping its points would greet them with 操作过于频繁 once the database is back — the 60 s
// resend wait for a code they never got. Each request gets its own ledger through an
// AsyncLocalStorage (the limiters sit deep in services that never see the request).
import { AsyncLocalStorage } from 'node:async_hooks';

interface Spent {
  /** The limit and hashed key: a refund or reset made later in the request settles the entry. */
  slot: string;
  giveBack: () => Promise<unknown>;
}

const ledgers = new AsyncLocalStorage<Spent[]>();

/** Fastify onRequest hook: the rest of the request (handler, error handler) runs with a ledger. */
export function openLimitLedger(_request: unknown, _reply: unknown, done: () => void): void {
  ledgers.run([], done);
}

/** Notes points spent (consumed or counted) under `slot`, and how to give them back. */
export function noteSpent(slot: string, giveBack: () => Promise<unknown>): void {
  ledgers.getStore()?.push({ slot, giveBack });
}

/** The request gave one point back itself: one entry fewer to refund. */
export function noteRefunded(slot: string): void {
  const ledger = ledgers.getStore();
  const at = ledger?.findIndex((e) => e.slot === slot) ?? -1;
  if (at >= 0) ledger!.splice(at, 1);
}

/** The counter was deleted (or blocked anew): rewarding it later would give points never spent. */
export function noteCleared(slot: string): void {
  const ledger = ledgers.getStore();
  if (!ledger) return;
  for (let i = ledger.length - 1; i >= 0; i--) if (ledger[i]!.slot === slot) ledger.splice(i, 1);
}

/** How long the refund may hold the 503 answer up; what is not done by then goes on alone. */
const REFUND_WAIT_MS = 1_000;

/**
 * Gives back everything this request spent. Best effort and never throwing: a counter kept in the
 * very database that is away cannot be refunded, and the 503 must go out regardless.
 */
export async function refundRequestLimits(): Promise<void> {
  const ledger = ledgers.getStore();
  if (!ledger?.length) return;
  const refunds = Promise.allSettled(ledger.splice(0).map((e) => e.giveBack()));
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, REFUND_WAIT_MS)));
  await Promise.race([refunds, waited]);
  clearTimeout(timer);
}
