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
