// The console's overview as chart series: the last 30 Beijing days of registrations (empty days
// included, so the bars are evenly spaced in time), the review queue against the 3-working-day
// promise, resolutions by path and the outbox by channel. Labels are left to the page (i18n).
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { OutboxChannel, ResolutionPath } from '../db/schema.ts';
import { addWorkingDays } from '../resolution/working-days.ts';
import { REVIEW_WORKING_DAYS } from '../resolution/photo-path.ts';
import { messagesByChannelAndState, pendingReviewTimes, registrationsByDay, resolutionsByPath } from './dashboard-queries.ts';

export const DASHBOARD_DAYS = 30;
export const REVIEW_BUCKETS = ['under1', 'from1to2', 'from2to3', 'overdue'] as const;
export const RESOLUTION_PATHS: readonly ResolutionPath[] = ['app', 'photo', 'classmate', 'records'];
export const MESSAGE_CHANNELS: readonly OutboxChannel[] = ['email', 'sms', 'webhook', 'backchannel_logout'];

export type ReviewBucket = (typeof REVIEW_BUCKETS)[number];

export interface MessageCounts {
  channel: OutboxChannel;
  sent: number;
  failed: number;
  /** queued or sending */
  waiting: number;
}

export interface DashboardData {
  /** Beijing days oldest first, 'YYYY-MM-DD'; the last is today. */
  registrations: Array<{ day: string; count: number }>;
  reviews: Array<{ bucket: ReviewBucket; count: number }>;
  resolutions: Array<{ path: ResolutionPath; count: number }>;
  messages: MessageCounts[];
  headline: { registrationsToday: number; openReviews: number; overdueReviews: number; failedMessages: number };
}

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Beijing calendar days of the window, oldest first, and the instant the first one began. */
export function beijingWindow(now: Date, days = DASHBOARD_DAYS): { since: Date; days: string[] } {
  const todayStart = Math.floor((now.getTime() + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS;
  const list: string[] = [];
  for (let i = days - 1; i >= 0; i--) list.push(new Date(todayStart - i * DAY_MS).toISOString().slice(0, 10));
  return { since: new Date(todayStart - (days - 1) * DAY_MS - BEIJING_OFFSET_MS), days: list };
}

/** Which bucket a waiting review falls in: whole working days elapsed, or past the promise. */
export function reviewBucket(submittedAt: Date, now: Date): ReviewBucket {
  const t = now.getTime();
  if (addWorkingDays(submittedAt, REVIEW_WORKING_DAYS).getTime() < t) return 'overdue';
  if (t < addWorkingDays(submittedAt, 1).getTime()) return 'under1';
  if (t < addWorkingDays(submittedAt, 2).getTime()) return 'from1to2';
  return 'from2to3';
}

export async function dashboardData(deps: { db: Db; clock: Clock }): Promise<DashboardData> {
  const now = deps.clock.now();
  const window = beijingWindow(now);
  const [byDay, pending, byPath, byChannel] = await Promise.all([
    registrationsByDay(deps.db, window.since),
    pendingReviewTimes(deps.db),
    resolutionsByPath(deps.db, window.since),
    messagesByChannelAndState(deps.db, window.since),
  ]);

  const dayCounts = new Map(byDay.map((r) => [r.day, r.count]));
  const registrations = window.days.map((day) => ({ day, count: dayCounts.get(day) ?? 0 }));

  const bucketCounts = new Map<ReviewBucket, number>(REVIEW_BUCKETS.map((b) => [b, 0]));
  for (const submittedAt of pending) {
    const bucket = reviewBucket(submittedAt, now);
    bucketCounts.set(bucket, (bucketCounts.get(bucket) ?? 0) + 1);
  }
  const reviews = REVIEW_BUCKETS.map((bucket) => ({ bucket, count: bucketCounts.get(bucket) ?? 0 }));

  const pathCounts = new Map(byPath.map((r) => [r.path, r.count]));
  const resolutions = RESOLUTION_PATHS.map((path) => ({ path, count: pathCounts.get(path) ?? 0 }));

  const messages = MESSAGE_CHANNELS.map((channel): MessageCounts => {
    const rows = byChannel.filter((r) => r.channel === channel);
    const sum = (match: (state: string) => boolean) => rows.filter((r) => match(r.state)).reduce((n, r) => n + r.count, 0);
    return { channel, sent: sum((s) => s === 'sent'), failed: sum((s) => s === 'failed'), waiting: sum((s) => s === 'queued' || s === 'sending') };
  });

  return {
    registrations,
    reviews,
    resolutions,
    messages,
    headline: {
      registrationsToday: registrations.at(-1)?.count ?? 0,
      openReviews: pending.length,
      overdueReviews: bucketCounts.get('overdue') ?? 0,
      failedMessages: messages.reduce((n, m) => n + m.failed, 0),
    },
  };
}
