// Retention: what the console shows of evidence erased after its retention period.
import type { retention as zh } from '../zh-CN/retention.ts';

export const retention: Record<keyof typeof zh, string> = {
  'retention.evidence': 'Verification evidence',
  'retention.photo_review': 'Photo review ({state}), submitted {date}',
  'retention.liveness': 'Liveness check ({state}), {date}',
  'retention.review_state.pending': 'waiting',
  'retention.review_state.approved': 'approved',
  'retention.review_state.rejected': 'rejected',
  'retention.review_state.closed': 'closed',
  'retention.liveness_state.pending': 'in progress',
  'retention.liveness_state.passed': 'passed',
  'retention.liveness_state.failed': 'not passed',
  'retention.erased': 'Deleted ({date}: by the retention period, withdrawn by the person, or with the deregistered account)',
  'retention.photos_kept': 'photos kept',
  'retention.result_kept': 'result kept',
  'retention.none': 'none',
  'retention.photo_erased': 'This photo was deleted at the end of its retention period.',
};
