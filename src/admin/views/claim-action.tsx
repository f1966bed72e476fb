// The last cell of a work queue (photo reviews, enterprise requests): open a case one holds, say
// someone else holds it, or offer to claim it.
import { useI18n } from '../../views/i18n-context.ts';
import { Form, Submit } from '../../views/components.tsx';

export function ClaimAction(props: { caseUrl: string; claimedBy: string | null; claimLapsed: boolean; me: string }) {
  const { t } = useI18n();
  if (props.claimedBy === props.me) return <a href={props.caseUrl}>{t('console.open')}</a>;
  if (props.claimedBy && !props.claimLapsed) return <>{t('console.held_by_other')}</>;
  return (
    <Form action={`${props.caseUrl}/claim`} class="inline">
      <Submit class="secondary">{t('console.claim')}</Submit>
    </Form>
  );
}
