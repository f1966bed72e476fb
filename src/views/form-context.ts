// The CSRF token of the page being rendered, for every <Form> on it, and whether a person is
// signed in (a refused form offers 登录 only to someone who is not).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const FormContext = createContext<{ csrf: string; signedIn?: boolean }>({ csrf: '' });
export const useCsrf = () => useContext(FormContext).csrf;
export const useSignedIn = () => useContext(FormContext).signedIn === true;
