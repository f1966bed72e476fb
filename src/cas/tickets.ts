// CAS ticket texts (CAS Protocol 3.0 §3): a prefix that says what the ticket is, then 128 random
// bits in base62 — letters and digits only, as §3.7 allows (base64url's "_" is not) — at most 25
// characters, within the 32 every CAS client must accept. Only the SHA-256 of
// a ticket is stored: a ticket is a bearer credential until it is used, and a copy of the database
// must not sign anyone in. (A plain hash suffices: 128 random bits cannot be guessed offline.)
import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import type { CasTicketKind } from '../db/schema.ts';

export type TicketPrefix = CasTicketKind | 'PGTIOU';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 128 random bits as exactly 22 base62 digits (leading zeros kept, so every ticket is as long). */
function random128Base62(): string {
  let n = BigInt(`0x${randomBytes(16).toString('hex')}`);
  let out = '';
  for (let i = 0; i < 22; i++) {
    out = BASE62[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out;
}

export const newTicket = (prefix: TicketPrefix): string => `${prefix}-${random128Base62()}`;

export const ticketHash = (ticket: string): string => createHash('sha256').update(ticket, 'utf8').digest('hex');

/** The kind a ticket's text claims (undefined for anything that is not one of ours in shape). */
export function ticketKind(ticket: string): CasTicketKind | undefined {
  const match = /^(ST|PT|PGT|TGT)-[A-Za-z0-9]{22}$/.exec(ticket);
  return match ? (match[1] as CasTicketKind) : undefined;
}
