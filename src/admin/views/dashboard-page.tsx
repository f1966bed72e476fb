// The console's overview: a line of headline numbers and four charts. Each chart is a <figure>
// with a caption, an SVG (role="img", a <title> per bar) and the same numbers as a table, so the
// page reads the same to a screen reader, without CSS, or printed.
import type { ComponentChildren } from 'preact';
import { type Lang, type Translate } from '../../i18n/index.ts';
import { useI18n } from '../../views/i18n-context.ts';
import { Notice } from '../../views/components.tsx';
import { REVIEW_WORKING_DAYS } from '../../resolution/photo-path.ts';
import type { DashboardData } from '../dashboard-service.ts';
import { BarChart, GroupedBarChart, type Series } from './svg-charts.tsx';
import type { MessageKey } from '../../i18n/index.ts';

/** '2024-11-20' as people read a day: 11月20日 / 20 Nov. */
function dayLabel(day: string, lang: Lang): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    month: lang === 'en' ? 'short' : 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

function Figure(props: { id: string; caption: string; children: ComponentChildren }) {
  return (
    <figure class="chart" id={props.id}>
      <figcaption>{props.caption}</figcaption>
      {props.children}
    </figure>
  );
}

function CountTable(props: { head: string; rows: Array<{ label: string; count: number; danger?: boolean }> }) {
  const { t } = useI18n();
  return (
    <table tabIndex={0} class="grid chart-data">
      <thead>
        <tr>
          <th scope="col">{props.head}</th>
          <th scope="col">{t('dashboard.col.count')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <th scope="row">{r.label}</th>
            <td class={r.danger && r.count > 0 ? 'count-danger' : undefined}>{r.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Headline(props: { data: DashboardData['headline'] }) {
  const { t } = useI18n();
  const h = props.data;
  const items: Array<{ id: string; key: MessageKey; value: number; danger?: boolean }> = [
    { id: 'registrations-today', key: 'dashboard.registrations_today', value: h.registrationsToday },
    { id: 'open-reviews', key: 'dashboard.open_reviews', value: h.openReviews },
    { id: 'overdue-reviews', key: 'dashboard.overdue_reviews', value: h.overdueReviews, danger: true },
    { id: 'failed-messages', key: 'dashboard.failed_messages', value: h.failedMessages, danger: true },
  ];
  return (
    <dl class="headline" aria-label={t('dashboard.headline')}>
      {items.map((item) => (
        <div id={`headline-${item.id}`} class={item.danger && item.value > 0 ? 'count-danger' : undefined}>
          <dt>{t(item.key)}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Registrations(props: { data: DashboardData['registrations'] }) {
  const { t, lang } = useI18n();
  const rows = props.data.map((d) => ({ label: dayLabel(d.day, lang), count: d.count }));
  const caption = t('dashboard.registrations');
  return (
    <Figure id="chart-registrations" caption={caption}>
      <BarChart
        title={caption}
        bars={rows.map((r) => ({ label: r.label, value: r.count, title: t('dashboard.bar_value', { label: r.label, value: r.count }) }))}
      />
      <details>
        <summary>{t('dashboard.data')}</summary>
        <CountTable head={t('dashboard.col.day')} rows={rows} />
      </details>
    </Figure>
  );
}

function Reviews(props: { data: DashboardData['reviews'] }) {
  const { t } = useI18n();
  const rows = props.data.map((b) => ({ label: t(`dashboard.bucket.${b.bucket}`), count: b.count, danger: b.bucket === 'overdue' }));
  const caption = t('dashboard.reviews');
  return (
    <Figure id="chart-reviews" caption={caption}>
      <p class="hint">{t('dashboard.reviews_promise', { days: REVIEW_WORKING_DAYS })}</p>
      <BarChart
        title={caption}
        height={200}
        bars={rows.map((r) => ({
          label: r.label,
          value: r.count,
          tone: r.danger ? 'danger' : 'normal',
          title: t('dashboard.bar_value', { label: r.label, value: r.count }),
        }))}
      />
      <CountTable head={t('dashboard.col.age')} rows={rows} />
    </Figure>
  );
}

function Resolutions(props: { data: DashboardData['resolutions'] }) {
  const { t } = useI18n();
  const caption = t('dashboard.resolutions');
  const bars = props.data.map((r) => ({
    label: t(`dashboard.path_short.${r.path}`),
    value: r.count,
    title: t('dashboard.bar_value', { label: t(`dashboard.path.${r.path}`), value: r.count }),
  }));
  return (
    <Figure id="chart-resolutions" caption={caption}>
      <BarChart title={caption} height={200} bars={bars} />
      <CountTable head={t('dashboard.col.path')} rows={props.data.map((r) => ({ label: t(`dashboard.path.${r.path}`), count: r.count }))} />
    </Figure>
  );
}

function messageSeries(t: Translate): Series[] {
  return [
    { key: 'sent', label: t('dashboard.state.sent') },
    { key: 'failed', label: t('dashboard.state.failed'), tone: 'danger' },
    { key: 'waiting', label: t('dashboard.state.waiting'), tone: 'muted' },
  ];
}

function Messages(props: { data: DashboardData['messages'] }) {
  const { t } = useI18n();
  const caption = t('dashboard.messages');
  const series = messageSeries(t);
  const groups = props.data.map((m) => ({ label: t(`dashboard.channel.${m.channel}`), values: { sent: m.sent, failed: m.failed, waiting: m.waiting } }));
  return (
    <Figure id="chart-messages" caption={caption}>
      <GroupedBarChart
        title={caption}
        series={series}
        groups={groups}
        describe={(g, s, value) => t('dashboard.message_bar', { channel: g.label, state: s.label, value })}
      />
      <table tabIndex={0} class="grid chart-data">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.col.channel')}</th>
            {series.map((s) => (
              <th scope="col">{s.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.data.map((m, i) => (
            <tr data-channel={m.channel}>
              <th scope="row">{groups[i]!.label}</th>
              <td>{m.sent}</td>
              <td class={m.failed > 0 ? 'count-danger' : undefined}>{m.failed}</td>
              <td>{m.waiting}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Figure>
  );
}

export function DashboardPage(props: { data: DashboardData; codesLow?: number | undefined }) {
  const { t } = useI18n();
  return (
    <>
      {props.codesLow !== undefined && <Notice kind="error">{t('console.codes_low', { count: props.codesLow })}</Notice>}
      <p class="lead">{t('dashboard.intro')}</p>
      <Headline data={props.data.headline} />
      <div class="charts">
        <Registrations data={props.data.registrations} />
        <Reviews data={props.data.reviews} />
        <Resolutions data={props.data.resolutions} />
        <Messages data={props.data.messages} />
      </div>
    </>
  );
}
