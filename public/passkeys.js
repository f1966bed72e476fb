// Passkeys in the browser (progressive enhancement; /static/simplewebauthn/browser.js, the
// @simplewebauthn/browser bundle, is loaded before this file). Two forms use it:
// - #passkey-login on the sign-in page: the button 使用通行密钥登录 asks the server for a
//   challenge, lets the browser show its passkey dialog, and posts the answer in the form (with
//   `next`, so a platform's sign-in goes on). Where the browser offers passkeys in the username
//   field's autofill (conditional mediation), a challenge is asked for at once and the answer to
//   a passkey picked there is posted the same way.
// - #passkey-add in 帐号管理: 添加 asks for a registration challenge (the name is checked first),
//   lets the browser make the passkey, and posts the answer with the name.
// - a form holding [data-passkey-verify] (the step page's 使用通行密钥验证, 两步验证's turning off
//   with a passkey): shown where the browser can, it asks the named route for a challenge listing
//   the account's passkeys and posts the answer. Without it the code form beside it remains.
// The server checks everything again; this file only carries the ceremonies' messages.
(() => {
  const webauthn = globalThis.SimpleWebAuthnBrowser;
  const stringsOf = () => {
    try {
      return JSON.parse(document.getElementById('passkey-strings')?.dataset.strings ?? '{}');
    } catch {
      return {};
    }
  };

  /** POSTs JSON with the form's CSRF token; answers the parsed body, or throws an Error whose message is the server's. */
  async function postJson(url, form, extra = {}) {
    const token = form.querySelector('input[name=_csrf]')?.value ?? '';
    const res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ _csrf: token, ...extra }),
    });
    const body = await res.json().catch(() => ({}));
    if (body.location) {
      window.location.assign(body.location);
      throw Object.assign(new Error(''), { name: 'Redirected' });
    }
    if (!res.ok) throw Object.assign(new Error(body.message ?? ''), { name: 'ServerRefused' });
    return body.options;
  }

  function messageFor(error, strings) {
    if (error?.name === 'ServerRefused') return error.message || strings.failed;
    if (error?.name === 'Redirected' || error?.name === 'AbortError') return '';
    if (error?.name === 'InvalidStateError' || error?.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return strings.excluded;
    if (error?.name === 'NotAllowedError' || error?.code === 'ERROR_CEREMONY_ABORTED') return strings.cancelled;
    return strings.failed;
  }

  const say = (status, text) => {
    if (!status) return;
    status.textContent = text;
  };

  function signIn(form) {
    const strings = stringsOf();
    const block = document.getElementById('passkey-login-block');
    const status = form.querySelector('#passkey-status');
    const field = form.querySelector('[data-passkey-credential]');
    // WebAuthn refuses sites reached by IP address (an RP ID is a domain): no button there.
    if (!webauthn?.browserSupportsWebAuthn() || /^[\d.]+$|^\[/.test(location.hostname)) return;
    if (block) block.hidden = false;
    const submitWith = (answer) => {
      field.value = JSON.stringify(answer);
      form.submit();
    };

    form.addEventListener('submit', async (event) => {
      if (field.value) return;
      event.preventDefault();
      say(status, strings.working);
      try {
        const optionsJSON = await postJson('/login/passkey/options', form);
        submitWith(await webauthn.startAuthentication({ optionsJSON }));
      } catch (error) {
        say(status, messageFor(error, strings));
      }
    });

    // The autofill of the username field offers passkeys, where the browser can (not right after
    // a passkey was refused: the same choice would only be refused again).
    webauthn
      .browserSupportsWebAuthnAutofill()
      .then(async (available) => {
        if (!available || block?.dataset.autofill === 'off' || !document.querySelector('input[autocomplete~=webauthn]')) return;
        const optionsJSON = await postJson('/login/passkey/options', form);
        form.dataset.autofill = 'ready';
        submitWith(await webauthn.startAuthentication({ optionsJSON, useBrowserAutofill: true }));
      })
      // Pressing the button replaces the autofill's request (an AbortError), and an autofill that
      // could not start is no reason to interrupt: the button and the password remain.
      .catch(() => {});
  }

  function add(form) {
    const strings = stringsOf();
    const status = form.querySelector('#passkey-status');
    const field = form.querySelector('[data-passkey-credential]');
    form.addEventListener('submit', async (event) => {
      if (field.value) return;
      if (!webauthn?.browserSupportsWebAuthn()) return say(status, strings.unsupported) || event.preventDefault();
      event.preventDefault();
      say(status, strings.working);
      try {
        const optionsJSON = await postJson('/account/passkeys/options', form, { name: form.querySelector('input[name=name]')?.value ?? '' });
        field.value = JSON.stringify(await webauthn.startRegistration({ optionsJSON }));
        form.submit();
      } catch (error) {
        say(status, messageFor(error, strings));
      }
    });
  }

  function verify(form) {
    const strings = stringsOf();
    const block = form.closest('[data-passkey-way]');
    const status = form.querySelector('.passkey-status');
    const field = form.querySelector('[data-passkey-credential]');
    const optionsUrl = form.querySelector('[data-passkey-verify]')?.dataset.passkeyVerify;
    if (!optionsUrl || !webauthn?.browserSupportsWebAuthn() || /^[\d.]+$|^\[/.test(location.hostname)) return;
    if (block) block.hidden = false;
    form.addEventListener('submit', async (event) => {
      if (field.value) return;
      event.preventDefault();
      say(status, strings.working);
      try {
        const optionsJSON = await postJson(optionsUrl, form);
        field.value = JSON.stringify(await webauthn.startAuthentication({ optionsJSON }));
        form.submit();
      } catch (error) {
        say(status, messageFor(error, strings));
      }
    });
  }

  const start = () => {
    for (const marker of document.querySelectorAll('form [data-passkey-verify]')) verify(marker.closest('form'));
    const login = document.getElementById('passkey-login');
    if (login) signIn(login);
    const adding = document.getElementById('passkey-add');
    if (adding) add(adding);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
