// Every SMS is sent under one of the operator's templates (config/sms-templates.ts). Gateways in
// mainland China send only templates approved in advance (Aliyun: a template code with
// ${variable}s), so a message says which template it is and fills that template's variables; the
// dev outbox and gateways that take free text send the full text. The name rides in the message's template parameters under
// `template` (rows queued before names existed carry only `code`, which is the code template).
import type { NewMessage } from '../queries.ts';
import { SMS_TEMPLATES, type SmsTemplate } from '../../config/sms-templates.ts';

export type { SmsTemplate };

type Variables<T extends SmsTemplate> = Record<(typeof SMS_TEMPLATES)[T][number], string>;

/** An SMS under `template`: `body` is the full text, `variables` fill the gateway's template. */
export function sms<T extends SmsTemplate>(to: string, body: string, template: T, variables: Variables<T>): NewMessage {
  return { channel: 'sms', recipient: to, body, templateParams: { template, ...variables } };
}

/** The template a queued SMS names, and its variables without the name. */
export function templateOf(params: Record<string, string>): { template: SmsTemplate; variables: Record<string, string> } {
  const { template, ...variables } = params;
  return { template: template && template in SMS_TEMPLATES ? (template as SmsTemplate) : 'code', variables };
}
