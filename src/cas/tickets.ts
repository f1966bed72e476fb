// CAS ticket texts (CAS Protocol 3.0 §3): a prefix that says what the ticket is, then 128 random
// bits, base64url — 25 characters, within the 32 every CAS client must accept. Only the SHA-256 of
// a ticket is stored: a ticket is a bearer credential until it is used, and a copy of the database
// must not sign anyone in. (A plain hash suffices: 128 random bits cannot be guessed offline.)
import { createHash } from 'node:crypto';
import { randomToken } from '../lib/crypto.ts';
import type { CasTicketKind } from '../db/schema.ts';

export type TicketPrefix = CasTicketKind | 'PGTIOU';

export const newTicket = (prefix: TicketPrefix): string => `${prefix}-${randomToken(16)}`;

export const ticketHash = (ticket: string): string => createHash('sha256').update(ticket, 'utf8').digest('hex');

/** The kind a ticket's text claims (undefined for anything that is not one of ours in shape). */
export function ticketKind(ticket: string): CasTicketKind | undefined {
  const match = /^(ST|PT|PGT|TGT)-[A-Za-z0-9_-]{22}$/.exec(ticket);
  return match ? (match[1] as CasTicketKind) : undefined;
}
