// A work queue's page (photo reviews, 途径3 objections, deregistration disputes): its notice and
// intro, an empty line or the table of cases oldest first, each row ending with who holds it and
// the claim cell. The queues differ only in the columns before those.
import type { ComponentChildren } from 'preact';
import { useI18n } from '../../views/i18n-context.ts';
import { Notice } from '../../views/components.tsx';
import { ClaimAction } from './claim-action.tsx';
import type { MessageKey } from '../../i18n/index.ts';

export interface QueueRow {
  id: string;
  /** The case page (…/claim claims it). */
  caseUrl: string;
  claimedBy: string | null;
  claimLapsed: boolean;
  /** The queue's own cells, in the order of its columns. */
  cells: ComponentChildren[];
  /** A class for some of those cells, by position (say, an overdue date). */
  cellClasses?: Array<string | undefined>;
}

export function QueueTable(props: {
  /** Names the table (`{name}-queue`), its empty line (`{name}s-empty`) and each row (`data-{name}`). */
  name: string;
  intro: MessageKey;
  empty: MessageKey;
  columns: MessageKey[];
  rows: QueueRow[];
  me: string;
  notice?: MessageKey | undefined;
}) {
  const { t } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      <p class="lead">{t(props.intro)}</p>
      {props.rows.length === 0 ? (
        <p id={`${props.name}s-empty`}>{t(props.empty)}</p>
      ) : (
        <table tabIndex={0} class="grid" id={`${props.name}-queue`}>
          <thead>
            <tr>
              {[...props.columns, 'console.col.claimed' as const].map((column) => (
                <th>{t(column)}</th>
              ))}
              <th>
                <span class="visually-hidden">{t('console.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr {...{ [`data-${props.name}`]: row.id }}>
                {row.cells.map((cell, i) => (
                  <td class={row.cellClasses?.[i]}>{cell}</td>
                ))}
                <td>{row.claimedBy ?? '—'}</td>
                <td>
                  <ClaimAction caseUrl={row.caseUrl} claimedBy={row.claimedBy} claimLapsed={row.claimLapsed} me={props.me} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
