// Image captchas for sign-in after repeated failures. The picture goes to the page; only a keyed
// hash of the answer is stored, it expires in 5 minutes and is spent by the first answer.
import svgCaptcha from 'svg-captcha';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { constantTimeEqual, hmacSha256 } from '../lib/crypto.ts';
import * as q from './queries.ts';

const TTL_MS = 5 * 60_000;

export interface CaptchaDeps {
  db: Db;
  clock: Clock;
  codeKey: Buffer;
  /** Draws a challenge; svg-captcha unless replaced (tests use a known text). */
  draw?: () => { text: string; svg: string };
}

export function drawSvgCaptcha(): { text: string; svg: string } {
  const { text, data } = svgCaptcha.create({ size: 4, noise: 3, ignoreChars: '0oO1iIlLqg9', color: true, width: 120, height: 44 });
  return { text, svg: data };
}

export interface Captcha {
  id: string;
  svg: string;
}

const answerHash = (deps: CaptchaDeps, id: string, answer: string) => hmacSha256(deps.codeKey, `captcha\0${id}\0${answer.trim().toLowerCase()}`);

export async function createCaptcha(deps: CaptchaDeps): Promise<Captcha> {
  const { text, svg } = (deps.draw ?? drawSvgCaptcha)();
  const id = crypto.randomUUID();
  await q.insertCaptcha(deps.db, { id, answerHash: answerHash(deps, id, text), expiresAt: new Date(deps.clock.now().getTime() + TTL_MS) });
  return { id, svg };
}

/** True when the answer is right; the captcha is spent either way (no second guess). */
export async function solveCaptcha(deps: CaptchaDeps, id: string | undefined, answer: string | undefined): Promise<boolean> {
  if (!id || !answer || !/^[0-9a-f-]{36}$/.test(id)) return false;
  const stored = await q.spendCaptcha(deps.db, id, deps.clock.now());
  return stored !== undefined && constantTimeEqual(stored, answerHash(deps, id, answer));
}
