// How long each kind of information is kept, as this service is configured: what the policy's
// 保存期限 points to (/legal/retention), so a person reads the operator's actual periods rather
// than "as published" (PIPL art. 17: the retention period is part of what is told before).
import { ENDED_RECORDS_GRACE_MS, type Config } from '../config.ts';
import type { MessageKey } from '../i18n/index.ts';

export interface RetentionPeriod {
  /** What is kept (a message key). */
  what: MessageKey;
  /** How long: a message key with its count. */
  kept: { key: MessageKey; params?: Record<string, number> };
}

const days = (ms: number) => Math.round(ms / 86_400_000);

export function retentionPeriods(config: Pick<Config, 'retention' | 'leaving'>): RetentionPeriod[] {
  return [
    { what: 'periods.unactivated', kept: { key: 'periods.days_after_registering', params: { days: days(config.retention.unactivatedMs) } } },
    { what: 'periods.evidence', kept: { key: 'periods.days_after_decision', params: { days: days(config.retention.evidenceMs) } } },
    { what: 'periods.cooling_off', kept: { key: 'periods.days', params: { days: days(config.leaving.coolingOffMs) } } },
    { what: 'periods.deregistered', kept: { key: 'periods.days_after_deregistration', params: { days: days(config.leaving.retentionMs) } } },
    { what: 'periods.support', kept: { key: 'periods.days_after_closing', params: { days: days(config.retention.supportRequestMs) } } },
    { what: 'periods.enterprise', kept: { key: 'periods.days_after_handling', params: { days: days(config.retention.enterpriseRequestMs) } } },
    { what: 'periods.audit', kept: { key: 'periods.months', params: { months: config.retention.auditMonths } } },
    { what: 'periods.outbox', kept: { key: 'periods.months', params: { months: config.retention.outboxMonths } } },
    { what: 'periods.ended', kept: { key: 'periods.days_after_ending', params: { days: days(ENDED_RECORDS_GRACE_MS) } } },
    { what: 'periods.export', kept: { key: 'periods.export_kept' } },
    { what: 'periods.account', kept: { key: 'periods.while_account' } },
  ];
}
