// Short-lived signed tickets: a fact one page established (this browser just typed the right
// password of a deregistered account) that another module's page acts on, without a table. The
// ticket names its purpose, its subject and when it ends, under the code key; it cannot be made or
// stretched without the key. Not single use: keep what it unlocks idempotent or limited.
import { constantTimeEqual, hmacSha256 } from '../lib/crypto.ts';

const SHAPE = /^([0-9a-f-]{36})\.(\d{10,13})\.([A-Za-z0-9_-]{43})$/;

export function issueTicket(key: Buffer, purpose: string, subject: string, expiresAt: Date): string {
  const expires = String(expiresAt.getTime());
  return `${subject}.${expires}.${hmacSha256(key, `ticket\0${purpose}\0${subject}\0${expires}`).toString('base64url')}`;
}

/** The ticket's subject while it is valid for this purpose; undefined otherwise. */
export function readTicket(key: Buffer, purpose: string, ticket: string, now: Date): string | undefined {
  const m = SHAPE.exec(ticket);
  if (!m) return undefined;
  const [, subject, expires, mac] = m as unknown as [string, string, string, string];
  const expected = hmacSha256(key, `ticket\0${purpose}\0${subject}\0${expires}`);
  if (!constantTimeEqual(Buffer.from(mac, 'base64url'), expected)) return undefined;
  return Number(expires) > now.getTime() ? subject : undefined;
}
