// The help assistant's 转人工 / 提交工单: a conversation becomes the support request form, its
// questions prefilled; the person picks a category (and, signed out, a contact and the captcha).
import type { SupportHandoff } from '../help/assistant.ts';
import { MAX_TEXT_CHARS } from './requests.ts';

export const supportHandoff: SupportHandoff = {
  formHref(questions) {
    const text = questions.join('\n').slice(0, MAX_TEXT_CHARS);
    return `/support/new?from=assistant&q=${encodeURIComponent(text)}`;
  },
};
