// Progressive enhancement of the assistant's forms (the help panel at the foot of every page and
// /help/assistant): with JavaScript a question is answered in place, as a chat, from
// /help/assistant/answer; without it the form is a plain GET to the answer page. Answers are put
// in with textContent only — never as HTML.
document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[data-help-chat]')) {
    const log = document.getElementById(form.getAttribute('data-help-chat'));
    const input = form.querySelector('input[name=q]');
    if (!log || !input) continue;
    // The conversation's earlier questions go with each one, so 转人工 carries them all.
    const asked = [];
    form.addEventListener('submit', async (event) => {
      const question = input.value.trim();
      event.preventDefault();
      log.hidden = false;
      const turn = element('div', 'help-chat-turn');
      turn.append(element('p', 'help-chat-question', question || '…'));
      const answer = element('div', 'help-chat-answer', form.getAttribute('data-thinking') || '…');
      turn.append(answer);
      log.append(turn);
      input.value = '';
      try {
        const earlier = asked
          .slice(-4)
          .map((q) => `&earlier=${encodeURIComponent(q)}`)
          .join('');
        if (question) asked.push(question);
        const res = await fetch(`/help/assistant/answer?q=${encodeURIComponent(question)}${earlier}`, {
          credentials: 'same-origin',
          headers: { accept: 'application/json' },
        });
        const body = await res.json();
        answer.textContent = '';
        show(answer, body);
      } catch {
        answer.textContent = form.getAttribute('data-failed') || 'No answer right now.';
      }
      turn.scrollIntoView({ block: 'nearest' });
    });
  }
});

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function link(item) {
  const a = element('a', '', item.title);
  a.href = item.href;
  return a;
}

function list(items) {
  const ul = element('ul');
  for (const item of items) {
    const li = element('li');
    li.append(link(item));
    ul.append(li);
  }
  return ul;
}

function passage(p) {
  const quote = element('blockquote', 'help-passage');
  quote.append(element('p', 'help-passage-heading', p.heading));
  quote.append(element('p', 'help-passage-text', p.text));
  return quote;
}

function show(into, body) {
  if (body.kind === 'invalid' || body.kind === 'none') {
    for (const p of body.fromAccount || []) into.append(passage(p));
    into.append(element('p', 'notice notice-info', body.message));
    handoff(into, body);
    if (body.contacts) into.append(element('p', 'support-contacts', body.contacts));
    return;
  }
  const labels = body.labels;
  for (const p of body.fromAccount) into.append(passage(p));
  if (body.clarify) {
    into.append(element('p', 'help-clarify', labels.clarify));
    into.append(list(body.clarify));
  }
  const source = element('p', 'help-answer-source', `${labels.best}: `);
  source.append(link(body.article));
  into.append(source);
  for (const p of body.passages) into.append(passage(p));
  if (body.candidates.length) {
    into.append(element('p', '', labels.candidates));
    into.append(list(body.candidates));
  }
  handoff(into, body);
  if (body.handoff && body.contacts) into.append(element('p', 'support-contacts', body.contacts));
}

/** 转人工 / 提交工单: the support request form, prefilled with the question. */
function handoff(into, body) {
  if (!body.handoff) return;
  const p = element('p', 'help-handoff', `${body.handoff.intro} `);
  p.append(link({ title: body.handoff.label, href: body.handoff.href }));
  into.append(p);
}
