// What every page may show beside its own content, from the service's configuration: how to reach
// customer service. Given to views through preact's context by the page renderer (http/render.tsx).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SupportContacts } from '../config.ts';

export interface PageSettings {
  support: SupportContacts;
}

export const NO_PAGE_SETTINGS: PageSettings = { support: { phone: undefined, email: undefined, hours: undefined } };

export const PageContext = createContext<PageSettings>(NO_PAGE_SETTINGS);
export const usePageSettings = () => useContext(PageContext);
