// The ticks as forms and the API send them: a checkbox's "1"/"on", or JSON true. Anything else,
// or nothing, is no consent: a consent is never presumed (PIPL art. 14, "explicit").
import { z } from 'zod';

const TICKS = [true, '1', 'on', 'true'] as const;
const tick = (error: 'consent.required' | 'consent.sensitive_required') =>
  z.union(
    TICKS.map((v) => z.literal(v)),
    { error },
  );

export const isTicked = (value: unknown): boolean => (TICKS as readonly unknown[]).includes(value);

/** 我已阅读并同意《用户协议》《个人信息保护政策》 on every registration form and body. */
export const agreeField = tick('consent.required').describe('true: the person agreed to the current /legal/terms and /legal/privacy');

/** The separate consent beside sensitive information (ID number, ID photos, a face check). */
export const sensitiveAgreeField = tick('consent.sensitive_required').describe('true: the person consented to processing this sensitive information');
