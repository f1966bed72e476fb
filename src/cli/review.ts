// `tongxing review …`: the operator's way to work the photo-review queue from the server (the
// console at /console is the staff's way). --staff names an active staff account allowed to
// review; every action is audited under it. Messages a decision writes leave through the running
// service's outbox worker.
//   review list
//   review claim ID --staff NAME
//   review photos ID --staff NAME --out DIR     (writes handheld/front/back, each view audited)
//   review approve ID --staff NAME
//   review reject ID --staff NAME --reason blurry|not_holding|covered|mismatch|edited [--note TEXT]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { AppError } from '../lib/errors.ts';
import { translator } from '../i18n/index.ts';
import { PHOTO_KINDS } from '../resolution/photo-path.ts';
import { findStaffByUsername } from '../admin/staff-queries.ts';
import { can } from '../admin/roles.ts';
import { claimReview, decideReview, pendingReviews, REJECTION_REASONS, reviewPhoto } from '../resolution/photo-review.ts';
import { option, withServices } from './context.ts';
import { isOwnKey } from '../lib/own.ts';

const USAGE = `usage: tongxing review list
       tongxing review claim ID --staff NAME
       tongxing review photos ID --staff NAME --out DIR
       tongxing review approve ID --staff NAME
       tongxing review reject ID --staff NAME --reason ${Object.keys(REJECTION_REASONS).join('|')} [--note TEXT]`;

/** A command was given without what it needs. */
class UsageError extends Error {}

export async function runReviewCli(config: Config, args: string[]): Promise<number> {
  const [command, id] = args;
  const staff = option(args, 'staff');
  if (!command || (command !== 'list' && (!id || !staff))) {
    console.error(USAGE);
    return 2;
  }
  return withServices(config, async (services) => {
    const deps = services.accounts;
    const reviewer = { id: staff ?? '', ip: null };
    if (command !== 'list') {
      const account = await findStaffByUsername(services.db, reviewer.id);
      if (!account || account.state !== 'active' || !can(account.roles, 'reviews')) {
        console.error(`--staff ${reviewer.id}: no active staff account with the reviewer role (see tongxing admin create)`);
        return 1;
      }
    }
    try {
      switch (command) {
        case 'list': {
          const reviews = await pendingReviews(deps, 200);
          if (reviews.length === 0) console.log('no photo reviews are waiting');
          for (const r of reviews) {
            console.log(
              `${r.id}  ${r.submittedAt.toISOString()}  ${String(r.ageHours).padStart(4)} h${r.overdue ? ' OVERDUE' : ''}  ${r.name ?? ''} ${r.idMasked ?? ''}  ${r.username}${r.claimedBy ? `  claimed by ${r.claimedBy}` : ''}`,
            );
          }
          return 0;
        }
        case 'claim':
          await claimReview(deps, id!, reviewer);
          console.log(`claimed ${id} for ${staff}`);
          return 0;
        case 'photos': {
          const out = option(args, 'out');
          if (!out) throw new UsageError();
          mkdirSync(out, { recursive: true, mode: 0o700 });
          for (const kind of PHOTO_KINDS) {
            const photo = await reviewPhoto(deps, id!, kind, reviewer);
            const file = join(out, `${id}-${kind}.${photo.mediaType.split('/')[1]}`);
            writeFileSync(file, photo.data, { mode: 0o600 });
            console.log(file);
          }
          return 0;
        }
        case 'approve':
          await decideReview(deps, id!, reviewer, { decision: 'approve' });
          console.log(`approved ${id}; the resolution passed`);
          return 0;
        case 'reject': {
          const reason = option(args, 'reason');
          if (!isOwnKey(REJECTION_REASONS, reason)) throw new AppError('review.reason_required');
          await decideReview(deps, id!, reviewer, { decision: 'reject', reason, note: option(args, 'note') });
          console.log(`rejected ${id}: ${REJECTION_REASONS[reason]}`);
          return 0;
        }
        default:
          console.error(USAGE);
          return 2;
      }
    } catch (error) {
      if (error instanceof UsageError) {
        console.error(USAGE);
        return 2;
      }
      if (error instanceof AppError) {
        console.error(translator('zh-CN')(error.code, error.params));
        return 1;
      }
      throw error;
    }
  });
}
