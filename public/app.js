// Progressive enhancement only: the pages work without this file.
// 免费获取: after a code was sent, the button counts down the 60 s before it may be pressed again.
document.addEventListener('DOMContentLoaded', () => {
  for (const label of document.querySelectorAll('[data-countdown]')) {
    let left = Number(label.getAttribute('data-countdown')) || 0;
    const button = label.closest('button');
    if (!button || left <= 0) continue;
    const text = label.textContent;
    const tick = () => {
      if (left <= 0) {
        button.disabled = false;
        label.textContent = text;
        return;
      }
      button.disabled = true;
      label.textContent = `${text} (${left}s)`;
      left -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  }
});

// 途径1: while the QR code is shown, asks every 2 s how the app's check went and moves on when it
// is decided. Without JavaScript the page offers a refresh link instead.
document.addEventListener('DOMContentLoaded', () => {
  const section = document.getElementById('app-verification');
  const status = document.getElementById('app-status');
  if (!section || !status) return;
  const url = section.getAttribute('data-status-url');
  const done = section.getAttribute('data-done-url');
  const poll = async () => {
    try {
      const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (res.ok) {
        const body = await res.json();
        status.setAttribute('data-state', body.state);
        if (body.message) status.textContent = body.message;
        if (body.state === 'passed') return window.location.assign(done);
        if (body.state === 'failed' || body.state === 'expired') return;
      }
    } catch {
      // The next poll tries again.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
});

// A refused form: the error summary at the top takes the focus, so a screen reader reads it first
// and a phone shows it at once; its links move the focus to their field with the label in view
// (a plain #fragment would scroll there but leave the focus behind).
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('[data-error-summary]');
  if (!summary) return;
  summary.focus();
  summary.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    if (!link) return;
    const input = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
    if (!input) return;
    event.preventDefault();
    const label = document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    (label ?? input).scrollIntoView({ block: 'start' });
    input.focus({ preventScroll: true });
  });
});
