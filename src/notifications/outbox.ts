// Writing a message = inserting an outbox row in the caller's transaction. The worker is nudged
// after commit so messages leave at once, and polls as well so nothing waits on a lost nudge.
import type { Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { insertMessage, type NewMessage } from './queries.ts';

export interface Outbox {
  enqueue(tx: Executor, message: NewMessage): Promise<string>;
  /** Called after the transaction commits. */
  nudge(): void;
}

export function createOutbox(clock: Clock, onNudge: () => void = () => {}): Outbox {
  return { enqueue: (tx, message) => insertMessage(tx, message, clock.now()), nudge: onNudge };
}
