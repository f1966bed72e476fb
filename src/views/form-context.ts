// The CSRF token of the page being rendered, for every <Form> on it.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const FormContext = createContext<{ csrf: string }>({ csrf: '' });
export const useCsrf = () => useContext(FormContext).csrf;
