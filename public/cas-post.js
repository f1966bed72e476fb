// CAS method=POST (/cas/login): the page holds a form carrying the ticket to the platform; this
// sends it at once. Without JavaScript the person presses 继续. (A file, not an inline script: the
// content security policy allows scripts from this origin only.)
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('cas-post-back');
  if (form instanceof HTMLFormElement) form.submit();
});
