// The captcha every guarded form carries (sign-in after failures, 找回用户名, 找回密码, the enterprise
// look-up, 这不是我本人操作, 免费获取 past an IP's first few SMS). One challenge serves two kinds of browser:
//
//   with JavaScript — a proof of work (pow.ts), or the widget of a captcha service when one is
//                     configured (vendors/: Tencent, Geetest, Aliyun);
//   without         — a picture drawn on the server (image/draw.ts) and its text typed in, with
//                     换一张 to draw another.
//
// An answer passes when any one of them is right, each for this form only and once: a proof of
// work is spent under its nonce, a picture by its first answer (right or wrong), a service token
// at the service. Pictures and spent proofs expire with their challenge (5 minutes).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { constantTimeEqual, hmacSha256 } from '../lib/crypto.ts';
import { captchaText, drawCaptchaPng } from './image/draw.ts';
import { createPowChallenge, powSecrets, verifyPow, type PowSettings } from './pow.ts';
import type { VendorVerifier, VendorWidget } from './vendors/vendor.ts';
import * as q from './queries.ts';
import type { RateLimits } from '../security/rate-limits.ts';

export const CAPTCHA_TTL_MS = 5 * 60_000;

/** The forms a captcha guards; a solution serves only the form it was made for. */
export type CaptchaForm = 'sign_in' | 'recover_username' | 'recover_password' | 'enterprise_lookup' | 'dispute' | 'send_code' | 'support';

export interface CaptchaDeps {
  db: Db;
  clock: Clock;
  codeKey: Buffer;
  pow: PowSettings;
  /** A captcha service to use instead of the proof of work. */
  vendor?: VendorVerifier | undefined;
  /** Draws the picture; the stroke renderer unless replaced (tests use a known text). */
  draw?: () => { text: string; png: Buffer };
}

export interface Captcha {
  form: CaptchaForm;
  /** The signed proof-of-work challenge (JSON) for the widget; absent when a service is used. */
  pow?: string;
  vendor?: VendorWidget;
  /** The picture for browsers without JavaScript. */
  image: { id: string; png: Buffer };
}

/** What a form posts back: any one of these may answer. */
export interface CaptchaAnswer {
  /** The proof-of-work widget's payload. */
  altcha?: string | undefined;
  /** The captcha service's result, as the page's glue script posted it (JSON). */
  captchaVendor?: string | undefined;
  /** The picture's id and the text typed. */
  captchaId?: string | undefined;
  captcha?: string | undefined;
}

export const drawCaptcha = () => {
  const text = captchaText();
  return { text, png: drawCaptchaPng(text) };
};

/** Bound to the form it was drawn for: a picture from the API's sign-in captcha opens no other form. */
const answerHash = (deps: CaptchaDeps, id: string, form: CaptchaForm, answer: string) =>
  hmacSha256(deps.codeKey, `captcha\0${form}\0${id}\0${answer.trim().toLowerCase()}`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function createCaptcha(deps: CaptchaDeps, form: CaptchaForm): Promise<Captcha> {
  const now = deps.clock.now();
  const { text, png } = (deps.draw ?? drawCaptcha)();
  const id = randomUUID();
  await q.insertCaptcha(deps.db, { id, answerHash: answerHash(deps, id, form, text), expiresAt: new Date(now.getTime() + CAPTCHA_TTL_MS) });
  const image = { id, png };
  if (deps.vendor) return { form, vendor: deps.vendor.widget, image };
  const pow = await createPowChallenge(deps.pow, powSecrets(deps.codeKey), form, now);
  return { form, pow: JSON.stringify(pow), image };
}

/** A captcha for a page shown to an IP: each is a row, so those drawn for one IP are limited. */
export async function createCaptchaFor(deps: { captcha: CaptchaDeps; limits: RateLimits }, ip: string, form: CaptchaForm): Promise<Captcha> {
  await deps.limits.consume('captchasPerIp', ip);
  return createCaptcha(deps.captcha, form);
}

/** The answer fields of a posted form. */
export function captchaAnswerOf(body: Record<string, string | undefined>): CaptchaAnswer {
  return { altcha: body.altcha, captchaVendor: body.captchaVendor, captchaId: body.captchaId, captcha: body.captcha };
}

/** Whether anything was answered at all (to tell "required" from "wrong"). */
export const answered = (answer: CaptchaAnswer) => Boolean(answer.altcha || answer.captchaVendor || answer.captcha?.trim());

/** 换一张 without JavaScript: the form came back only for a new picture. */
export const wantsAnotherCaptcha = (body: Record<string, string | undefined>) => body.captchaRefresh === '1';

/** True when one of the answers is right for this form; whatever was tried is spent. */
export async function solveCaptcha(deps: CaptchaDeps, answer: CaptchaAnswer, form: CaptchaForm, ip: string): Promise<boolean> {
  const now = deps.clock.now();
  if (answer.altcha && !deps.vendor) {
    const solved = await verifyPow(powSecrets(deps.codeKey), answer.altcha, form, now);
    if (solved && (await q.spendNonce(deps.db, solved.nonce, solved.expiresAt, now))) return true;
  }
  if (answer.captchaVendor && deps.vendor && (await deps.vendor.verify(answer.captchaVendor, ip))) return true;
  const id = answer.captchaId;
  if (!id || !answer.captcha || !UUID.test(id)) return false;
  const stored = await q.spendCaptcha(deps.db, id, now);
  return stored !== undefined && constantTimeEqual(stored, answerHash(deps, id, form, answer.captcha));
}

/** solveCaptcha for a form's service: a wrong or missing answer is the form's captcha error. */
export async function requireCaptcha(deps: CaptchaDeps, answer: CaptchaAnswer, form: CaptchaForm, ip: string): Promise<void> {
  if (!(await solveCaptcha(deps, answer, form, ip)))
    throw new AppError(answered(answer) ? 'login.captcha_wrong' : 'login.captcha_required', { field: 'captcha' });
}
