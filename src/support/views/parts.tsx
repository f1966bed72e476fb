// Pieces the person's pages and the console share: the category list, the image input, a state's name.
import { useI18n } from '../../views/i18n-context.ts';
import type { FieldError } from '../../views/components.tsx';
import type { MessageKey } from '../../i18n/index.ts';
import type { SupportRequestState } from '../../db/schema.ts';
import { SUPPORT_CATEGORIES } from '../requests.ts';

export function CategorySelect(props: { value: string | undefined; error: FieldError | undefined }) {
  const { t } = useI18n();
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for="f-category">{t('support.category')}</label>
      <select id="f-category" name="category" aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? 'f-category-error' : undefined}>
        <option value="">{t('support.category_choose')}</option>
        {SUPPORT_CATEGORIES.map((c) => (
          <option value={c} selected={props.value === c}>
            {t(`support.category.${c}` as MessageKey)}
          </option>
        ))}
      </select>
      {props.error && (
        <p class="error" id="f-category-error">
          {t(props.error.code, props.error.params)}
        </p>
      )}
    </div>
  );
}

export function ImageField(props: { error: FieldError | undefined }) {
  const { t } = useI18n();
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for="f-image">{t('support.image')}</label>
      <input id="f-image" name="image" type="file" accept="image/jpeg,image/png,image/gif" aria-describedby="f-image-hint" />
      <p class="hint" id="f-image-hint">
        {t('support.image_hint')}
      </p>
      {props.error && (
        <p class="error" id="f-image-error">
          {t(props.error.code, props.error.params)}
        </p>
      )}
    </div>
  );
}

export function StateLabel(props: { state: SupportRequestState }) {
  const { t } = useI18n();
  return <>{t(`support.state.${props.state}` as MessageKey)}</>;
}
