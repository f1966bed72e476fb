// SQL for the assistant's answers from a person's own account: the latest messages the outbox
// holds for their own phone and address (state and times only — never the text, which may carry
// a code), and the names of the platforms that accept only a verified real name. Reads only.
import type { Executor } from '../db/client.ts';

/** The newest messages to these recipients (the account's own contacts), newest first. */
export async function latestMessagesTo(db: Executor, recipients: readonly string[], limit: number) {
  if (recipients.length === 0) return [];
  return db
    .selectFrom('outbox')
    .select(['channel', 'recipient', 'state', 'attempts', 'last_error', 'created_at', 'sent_at', 'next_attempt_at'])
    .where('channel', 'in', ['sms', 'email'])
    .where('recipient', 'in', [...recipients])
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export type OutboxFact = Awaited<ReturnType<typeof latestMessagesTo>>[number];

/** Platforms in service that refuse an account without a verified real name. */
export async function platformsRequiringRealname(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('oidc_clients')
    .select('name')
    .where('requires_realname', '=', true)
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}
