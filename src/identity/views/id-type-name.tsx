// A document type's name in the page's language (居民身份证 / Resident ID card).
import { useI18n } from '../../views/i18n-context.ts';
import { ID_TYPES } from '../id-numbers/index.ts';

export function IdTypeName(props: { code: string }) {
  const { lang } = useI18n();
  const type = ID_TYPES.find((x) => x.code === props.code);
  return <>{type ? type[lang] : props.code}</>;
}
