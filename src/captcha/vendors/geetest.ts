// Geetest 极验 v4: the page's widget yields lot_number, captcha_output, pass_token and gen_time;
// the server posts them to /validate with sign_token = HMAC-SHA256(captcha_key, lot_number). Only
// result "success" passes. (Geetest's demos pass everyone when its API is down; this does not.)
import { createHmac } from 'node:crypto';
import { tokenFields, type VendorVerifier } from './vendor.ts';

export interface GeetestSettings {
  captchaId: string;
  captchaKey: string;
  /** https://gcaptcha4.geetest.com unless a simulator stands in. */
  endpoint?: string;
}

export const geetestSignToken = (captchaKey: string, lotNumber: string) => createHmac('sha256', captchaKey).update(lotNumber).digest('hex');

export function geetestCaptcha(settings: GeetestSettings): VendorVerifier {
  const base = (settings.endpoint ?? 'https://gcaptcha4.geetest.com').replace(/\/+$/, '');
  return {
    widget: {
      kind: 'geetest',
      scriptUrl: 'https://static.geetest.com/v4/gt4.js',
      params: { captchaId: settings.captchaId },
      origins: {
        script: ['https://static.geetest.com', 'https://gcaptcha4.geetest.com'],
        frame: [],
        connect: ['https://gcaptcha4.geetest.com'],
        img: ['https://static.geetest.com'],
        style: ['https://static.geetest.com'],
      },
    },
    async verify(token) {
      const fields = tokenFields(token, ['lot_number', 'captcha_output', 'pass_token', 'gen_time'] as const);
      if (!fields || !/^[0-9a-f]{32}$/.test(fields.lot_number) || !/^\d{1,12}$/.test(fields.gen_time)) return false;
      const body = new URLSearchParams({ ...fields, sign_token: geetestSignToken(settings.captchaKey, fields.lot_number) }).toString();
      try {
        const response = await fetch(`${base}/validate?captcha_id=${encodeURIComponent(settings.captchaId)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          signal: AbortSignal.timeout(5_000),
          redirect: 'error',
        });
        const answer = (await response.json()) as { result?: unknown };
        return answer.result === 'success';
      } catch {
        return false;
      }
    },
  };
}
