// 解决办法: the four paths (records recommended), the warning, and where each path stands; or the
// resolution once one passed.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { Notice } from '../../views/components.tsx';
import type { ResolutionOverview } from '../service.ts';
import { ResolutionWarning } from './warning.tsx';
import { HelpLinks } from '../../help/links.tsx';

const PATHS = [
  { key: 'app', href: '/account/resolution/app' },
  { key: 'photo', href: '/account/resolution/photo' },
  { key: 'classmate', href: '/account/resolution/classmate' },
  { key: 'records', href: '/account/resolution/records', recommended: true },
] as const;

export function ResolutionCentrePage(props: {
  overview: ResolutionOverview;
  progress: Partial<Record<(typeof PATHS)[number]['key'], string>>;
  notice?: string | undefined;
  /** Where the person goes once no verification is needed: 实名信息绑定, or back to the account. */
  nextStep?: 'bind' | 'home';
}) {
  const { t, lang } = useI18n();
  const o = props.overview;
  if (o.state !== 'needs_verification') {
    return (
      <>
        {props.notice && <Notice kind="success">{props.notice}</Notice>}
        {o.resolution ? (
          <p id="resolution-state" data-state="resolved">
            {t('resolution.passed', { at: formatBeijing(o.resolution.passedAt, lang), path: t(`resolution.path_name.${o.resolution.path}`) })}
          </p>
        ) : (
          <p id="resolution-state" data-state="not_needed">
            {t('resolution.not_needed')}
          </p>
        )}
        {props.nextStep === 'bind' ? (
          <p class="next-step" id="resolution-next">
            <a class="button primary" href="/account/binding">
              {t('resolution.next_bind')}
            </a>
          </p>
        ) : (
          <p id="resolution-next">
            <a href="/account">{t('resolution.next_home')}</a>
          </p>
        )}
      </>
    );
  }
  return (
    <>
      {props.notice && <Notice kind="info">{props.notice}</Notice>}
      <p id="resolution-state" data-state="needs_verification">
        {t('resolution.intro')}
      </p>
      <ResolutionWarning others={o.others} platforms={o.platforms} />
      {o.staffOnly && (
        <Notice kind="info">
          <span id="resolution-staff-only">{t('resolution.staff_only')}</span>
        </Notice>
      )}
      <ol class="paths" id="resolution-paths">
        {PATHS.filter((path) => (!o.staffOnly || path.key === 'photo') && !(o.classmateClosed && path.key === 'classmate')).map((path) => (
          <li key={path.key} id={`path-${path.key}`} class={'recommended' in path ? 'recommended' : undefined}>
            <h3>
              {t(`resolution.path_${path.key}`)} {'recommended' in path && <strong class="badge">{t('resolution.recommended')}</strong>}
            </h3>
            <p>{t(`resolution.path_${path.key}_intro`)}</p>
            {props.progress[path.key] && <p class="progress">{props.progress[path.key]}</p>}
            <a href={path.href} class="button">
              {t('resolution.open')}
            </a>
          </li>
        ))}
      </ol>
      <HelpLinks slugs={['id-already-registered', 'deregistration']} />
    </>
  );
}
