// 途径1: before starting, the warning and the tick; then the QR code for the app, with a status
// line that app-verification.js keeps current (and a link to refresh without JavaScript).
// A phone cannot scan the code on its own screen: when APP_LINK is configured the page carries
// both the QR code and an "open in the app" link, and CSS (pointer: coarse or a narrow screen)
// shows the one that fits, so it works without JavaScript and without guessing from User-Agent.
import { renderSVG } from 'uqr';
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { ErrorSummary, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { AcknowledgeField, ResolutionWarning } from './warning.tsx';
import type { Message } from '../../i18n/index.ts';
import { HelpLinks } from '../../help/links.tsx';
import { SensitiveConsentField } from '../../consent/views/agree-fields.tsx';

export interface AppPathProps {
  errors: FieldErrors;
  formError?: Message | undefined;
  session?: { id: string; link: string; expiresAt: Date; token: string } | undefined;
  /** Outside production: a link to the page that plays the app. */
  simulator: boolean;
  /** Who runs the face check (LIVENESS_OPERATOR), named in the consent. */
  livenessOperator: string;
  last?: { state: string; reason: string | null } | undefined;
  others: string[];
  platforms: string[];
  /** APP_LINK with this session's token: opens the app on the phone showing the page. */
  appLink?: string | undefined;
  /** APP_DOWNLOAD_URL. */
  downloadUrl?: string | undefined;
}

function DownloadLink(props: { url: string | undefined }) {
  const { t } = useI18n();
  if (!props.url) return null;
  return (
    <p class="app-download">
      {t('app.no_app')}{' '}
      <a href={props.url} id="app-download-link" rel="noopener">
        {t('app.download')}
      </a>
    </p>
  );
}

export function AppPathPage(props: AppPathProps) {
  const { t, lang } = useI18n();
  const s = props.session;
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} order={['agreeSensitive', 'acknowledge']} />
      <ResolutionWarning others={props.others} platforms={props.platforms} />
      {props.last?.state === 'failed' && <Notice kind="error">{t('app.failed')}</Notice>}
      {s ? (
        <section
          id="app-verification"
          class={props.appLink ? 'app-verification has-app-link' : 'app-verification'}
          data-status-url={`/account/resolution/app/status.json?session=${s.id}`}
          data-done-url="/account/resolution"
        >
          <div class="app-by-qr" id="app-by-qr">
            <p>{t('app.scan', { until: formatBeijing(s.expiresAt, lang) })}</p>
            <div class="qr" id="app-qr" role="img" aria-label={t('app.qr_label')} dangerouslySetInnerHTML={{ __html: renderSVG(s.link, { border: 2 }) }} />
          </div>
          {props.appLink && (
            <div class="app-by-link" id="app-by-link">
              <p>{t('app.on_phone', { until: formatBeijing(s.expiresAt, lang) })}</p>
              <p>
                <a class="button" href={props.appLink} id="app-open-link">
                  {t('app.open_in_app')}
                </a>
              </p>
            </div>
          )}
          <DownloadLink url={props.downloadUrl} />
          <p id="app-status" data-state="pending" aria-live="polite">
            {t('app.waiting')}
          </p>
          <noscript>
            <a href={`/account/resolution/app?session=${s.id}`}>{t('app.refresh')}</a>
          </noscript>
          {props.simulator && (
            <p class="hint">
              {t('app.simulator_hint')}{' '}
              <a href={`/dev/liveness?token=${s.token}`} target="_blank" rel="noopener" id="app-simulator-link">
                {t('app.simulator_link')}
              </a>
            </p>
          )}
        </section>
      ) : (
        <>
          <p>{t('app.intro')}</p>
          <Form action="/account/resolution/app" id="app-start">
            <SensitiveConsentField kind="liveness" params={{ operator: props.livenessOperator }} error={props.errors.agreeSensitive} />
            <AcknowledgeField error={props.errors.acknowledge} />
            <Submit id="app-start-submit">{t('app.start')}</Submit>
          </Form>
        </>
      )}
      <p>
        <a href="/account/resolution">{t('resolution.back')}</a>
      </p>
      <HelpLinks slugs={['path-app', 'deregistration']} />
    </>
  );
}
