// The captcha of a form, with JavaScript (views/captcha-field.tsx draws the markup; the pages work
// without this file, with the picture). A module: it runs after /static/altcha/altcha.js has
// defined the widget, registers the widget's PBKDF2 worker (served from our origin, as the CSP
// asks), gives it our words, and starts it; the picture is hidden while the widget works and
// shown again if it fails. For a configured captcha service, it starts the service's widget from
// its button and puts the service's result in the hidden captchaVendor field.

const fieldsets = document.querySelectorAll('fieldset[data-captcha]');

const showFallback = (fieldset, shown) => {
  const fallback = fieldset.querySelector('[data-captcha-fallback]');
  if (fallback) fallback.hidden = !shown;
};

function startProofOfWork(fieldset) {
  const altcha = globalThis.$altcha;
  const widget = fieldset.querySelector('altcha-widget');
  if (!altcha || !widget) return showFallback(fieldset, true);
  if (!altcha.algorithms.has('PBKDF2/SHA-256')) altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker('/static/altcha/pbkdf2.js'));
  const language = fieldset.dataset.language;
  try {
    altcha.i18n.set(language, { ...(altcha.i18n.get(language) ?? {}), ...JSON.parse(fieldset.dataset.strings ?? '{}') });
  } catch {
    // Keep the widget's own words.
  }
  showFallback(fieldset, false);
  widget.addEventListener('statechange', (event) => {
    const state = event.detail?.state;
    // Where the check stands, for styles (and for tests that wait on it).
    fieldset.dataset.state = state ?? '';
    if (state === 'error') showFallback(fieldset, true);
    if (state === 'verified') showFallback(fieldset, false);
  });
  const verify = () => widget.verify();
  if (altcha.instances.has(widget)) verify();
  else widget.addEventListener('load', verify, { once: true });
}

const VENDORS = {
  // Tencent Cloud 验证码: new TencentCaptcha(appId, callback).show(); ret 0 carries ticket and randstr.
  tencent(box, done) {
    if (typeof globalThis.TencentCaptcha !== 'function') return false;
    const captcha = new globalThis.TencentCaptcha(box.dataset.appid, (res) => {
      if (res && res.ret === 0 && res.ticket && !String(res.ticket).startsWith('terror_')) done({ ticket: res.ticket, randstr: res.randstr });
    });
    box.querySelector('[data-vendor-start]').addEventListener('click', () => captcha.show());
    return true;
  },
  // Geetest v4: initGeetest4 in bind mode; getValidate() after success carries the four fields.
  geetest(box, done) {
    if (typeof globalThis.initGeetest4 !== 'function') return false;
    globalThis.initGeetest4({ captchaId: box.dataset.captchaid, product: 'bind' }, (captcha) => {
      captcha.onSuccess(() => {
        const v = captcha.getValidate();
        if (v) done({ lot_number: v.lot_number, captcha_output: v.captcha_output, pass_token: v.pass_token, gen_time: v.gen_time });
      });
      box.querySelector('[data-vendor-start]').addEventListener('click', () => captcha.showCaptcha());
    });
    return true;
  },
  // Aliyun 验证码 2.0: initAliyunCaptcha in popup mode; success hands over captchaVerifyParam.
  aliyun(box, done) {
    if (typeof globalThis.initAliyunCaptcha !== 'function') return false;
    const button = box.querySelector('[data-vendor-start]');
    button.id ||= `aliyun-captcha-${Math.random().toString(36).slice(2)}`;
    const element = document.createElement('div');
    element.id = `${button.id}-element`;
    box.append(element);
    globalThis.initAliyunCaptcha({
      SceneId: box.dataset.sceneid,
      prefix: box.dataset.prefix,
      mode: 'popup',
      element: `#${element.id}`,
      button: `#${button.id}`,
      success: (captchaVerifyParam) => done({ captchaVerifyParam }),
      language: document.documentElement.lang === 'en' ? 'en' : 'cn',
    });
    return true;
  },
};

function startVendor(fieldset) {
  const box = fieldset.querySelector('[data-vendor]');
  const start = box && VENDORS[box.dataset.vendor];
  const input = box?.querySelector('input[name="captchaVendor"]');
  const done = (result) => {
    input.value = JSON.stringify(result);
    fieldset.dataset.state = 'verified';
    box.querySelector('[data-vendor-start]').disabled = true;
    box.classList.add('done');
  };
  // The service's script loads from its CDN; if it did not, the picture stays.
  const begin = () => showFallback(fieldset, !(start && input && start(box, done)));
  if (document.readyState === 'complete') begin();
  else window.addEventListener('load', begin, { once: true });
}

for (const fieldset of fieldsets) {
  if (fieldset.dataset.captcha === 'pow') startProofOfWork(fieldset);
  else startVendor(fieldset);
}
