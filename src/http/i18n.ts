// Messages by key in zh-CN (the default) and English. Each module keeps its own catalogue; this
// file merges them and formats `{name}` placeholders.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { commonMessages } from './messages.ts';
import { accountMessages } from '../accounts/messages.ts';
import { identityMessages } from '../identity/messages.ts';
import { inboxMessages } from '../inbox/messages.ts';
import { recoveryMessages } from '../recovery/messages.ts';
import { settingsMessages } from '../accounts/settings-messages.ts';
import { resolutionMessages } from '../resolution/messages.ts';
import { ssoMessages } from '../sso/messages.ts';
import { idNumberMessages } from '../identity/id-numbers/index.ts';
import { consoleMessages } from '../admin/messages.ts';
import { dashboardMessages } from '../admin/dashboard-messages.ts';
import { enterpriseMessages } from '../enterprise/messages.ts';
import { recordsMessages } from '../records/messages.ts';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export type Catalogue = Record<string, { 'zh-CN': string; en: string }>;

const catalogue: Catalogue = {
  ...commonMessages,
  ...accountMessages,
  ...identityMessages,
  ...idNumberMessages,
  ...inboxMessages,
  ...recoveryMessages,
  ...settingsMessages,
  ...resolutionMessages,
  ...ssoMessages,
  ...consoleMessages,
  ...dashboardMessages,
  ...enterpriseMessages,
  ...recordsMessages,
};

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  return (key, params) => {
    const entry = catalogue[key];
    const template = entry ? entry[lang] : key;
    return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : template;
  };
}

export function hasMessage(key: string): boolean {
  return key in catalogue;
}

export function parseLang(value: string | undefined): Lang | undefined {
  if (!value) return undefined;
  if (value === 'en' || value.toLowerCase().startsWith('en')) return 'en';
  if (value.toLowerCase().startsWith('zh')) return 'zh-CN';
  return undefined;
}

export const I18nContext = createContext<{ lang: Lang; t: Translate }>({ lang: 'zh-CN', t: translator('zh-CN') });
export const useI18n = () => useContext(I18nContext);
