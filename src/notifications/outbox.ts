// Writing a message = inserting an outbox row in the caller's transaction. The worker is nudged
// after commit so messages leave at once, and polls as well so nothing waits on a lost nudge.
import type { SupportContacts } from '../config.ts';
import { withSupportContacts } from './templates/support.ts';
import type { Executor, Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { insertMessage, listRecent, type NewMessage } from './queries.ts';

export interface Outbox {
  enqueue(tx: Executor, message: NewMessage): Promise<string>;
  /** Called after the transaction commits. */
  nudge(): void;
}

/** `support`: the customer-service contacts a message that says 联系客服 carries (SUPPORT_*). */
export function createOutbox(clock: Clock, onNudge: () => void = () => {}, support?: SupportContacts): Outbox {
  return { enqueue: (tx, message) => insertMessage(tx, support ? withSupportContacts(message, support) : message, clock.now()), nudge: onNudge };
}

/** The newest messages, for the development outbox (outside production only). */
export async function recentMessages(db: Db, limit: number) {
  return listRecent(db, limit);
}
