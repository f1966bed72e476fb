// The reader's language and translator, handed to every view through preact's context by the
// page renderer (http/render.tsx).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { translator, type Lang, type Translate } from '../i18n/index.ts';

export const I18nContext = createContext<{ lang: Lang; t: Translate }>({ lang: 'zh-CN', t: translator('zh-CN') });
export const useI18n = () => useContext(I18nContext);
