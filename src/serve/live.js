// folio serve: live reload and the error overlay. Injected only by `folio serve`.
(() => {
  // Beside this script, under the path the site is served at.
  const EVENTS = new URL('events', document.currentScript.src).href;
  const WARNINGS = new URL('warnings', document.currentScript.src);
  // The page's site path: its address without the path the site is served under.
  const ROOT = new URL('../', document.currentScript.src).pathname;
  const KEY = 'folio-scroll:' + location.pathname;
  const saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    addEventListener('load', () => scrollTo(0, Number(saved)));
  }

  let overlay = null;
  let returnFocus = null;

  function closeOverlay() {
    if (!overlay) return;
    overlay.remove();
    overlay = null;
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  }

  function showOverlay(problems) {
    closeOverlay();
    returnFocus = document.activeElement;
    overlay = document.createElement('div');
    overlay.id = 'folio-errors';
    overlay.setAttribute('role', 'alert');
    overlay.setAttribute('aria-labelledby', 'folio-errors-title');
    overlay.tabIndex = -1;
    overlay.style.cssText =
      'position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:24px;' +
      'background:#ffffff;color:#0b0c0c;font:16px/1.5 system-ui,sans-serif;' +
      'border:8px solid #d4351c;box-sizing:border-box';
    const title = document.createElement('h2');
    title.id = 'folio-errors-title';
    title.style.cssText = 'margin:0 0 16px;font-size:24px';
    const errors = problems.filter((p) => p.severity === 'error').length;
    title.textContent = `The site did not rebuild: ${errors} ${errors === 1 ? 'error' : 'errors'}`;
    overlay.append(title);
    const note = document.createElement('p');
    note.textContent = 'This page is the last version that built. Fix the problems below and save; this message goes away by itself.';
    overlay.append(note);
    const list = document.createElement('ol');
    for (const p of problems) {
      const item = document.createElement('li');
      item.style.marginBottom = '16px';
      const where = document.createElement('p');
      where.style.cssText = 'margin:0;font-weight:700';
      const place = [p.file, p.line || null, p.column || null].filter(Boolean).join(':');
      where.textContent = `${p.severity === 'error' ? 'Error' : 'Warning'} in ${place}`;
      const what = document.createElement('p');
      what.style.margin = '0';
      what.textContent = p.message;
      item.append(where, what);
      if (p.hint) {
        const hint = document.createElement('p');
        hint.style.cssText = 'margin:0;color:#484949';
        hint.textContent = `Hint: ${p.hint}`;
        item.append(hint);
      }
      list.append(item);
    }
    overlay.append(list);
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Hide this message';
    close.style.cssText =
      'min-height:44px;padding:8px 16px;font:inherit;font-weight:700;color:#ffffff;' +
      'background:#0b0c0c;border:2px solid #0b0c0c;cursor:pointer';
    close.addEventListener('click', closeOverlay);
    overlay.append(close);
    overlay.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') closeOverlay();
    });
    document.body.append(overlay);
    overlay.focus();
  }

  function swapStyles() {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set('folio-reload', String(Date.now()));
      link.href = url.toString();
    }
  }

  // The page's own warnings, in a panel at the top of its main content; dismissed, it stays
  // away until the warnings change.
  async function showWarnings() {
    const path = '/' + location.pathname.slice(ROOT.length);
    const url = new URL(WARNINGS);
    url.searchParams.set('page', path);
    let warnings;
    try {
      warnings = await (await fetch(url, { cache: 'no-store' })).json();
    } catch {
      return;
    }
    const signature = 'folio-warnings:' + path + ':' + JSON.stringify(warnings);
    if (!warnings.length || sessionStorage.getItem(signature) === 'hidden') return;
    const main = document.querySelector('main') ?? document.body;
    const panel = document.createElement('section');
    panel.id = 'folio-warnings';
    panel.setAttribute('aria-label', 'Warnings on this page');
    panel.style.cssText =
      'margin:0 0 24px;padding:16px;border:4px solid #b35c00;background:#ffffff;color:#0b0c0c;' +
      'font:16px/1.5 system-ui,sans-serif';
    const title = document.createElement('p');
    title.style.cssText = 'margin:0 0 8px;font-weight:700';
    title.textContent = `${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'} on this page (only you can see this: it is shown by folio serve)`;
    const list = document.createElement('ul');
    list.style.cssText = 'margin:0 0 12px;padding-left:20px';
    for (const w of warnings) {
      const item = document.createElement('li');
      const rule = w.rule ? `${w.rule}, ` : '';
      item.textContent = `${rule}line ${w.line}: ${w.message}`;
      if (w.hint) {
        const hint = document.createElement('span');
        hint.style.cssText = 'display:block;color:#484949';
        hint.textContent = `Hint: ${w.hint}`;
        item.append(hint);
      }
      list.append(item);
    }
    const hide = document.createElement('button');
    hide.type = 'button';
    hide.textContent = 'Hide these warnings';
    hide.style.cssText =
      'min-height:44px;padding:8px 16px;font:inherit;font-weight:700;color:#ffffff;' +
      'background:#0b0c0c;border:2px solid #0b0c0c;cursor:pointer';
    hide.addEventListener('click', () => {
      sessionStorage.setItem(signature, 'hidden');
      const next = main.querySelector('h1') ?? main;
      panel.remove();
      if (!next.hasAttribute('tabindex')) next.setAttribute('tabindex', '-1');
      next.focus();
    });
    const review = document.createElement('p');
    review.style.cssText = 'margin:0 0 12px';
    const reviewLink = document.createElement('a');
    reviewLink.href = new URL('review', WARNINGS).href;
    reviewLink.textContent = 'Every review date on the site, overdue first';
    review.append(reviewLink);
    panel.append(title, list, review, hide);
    main.prepend(panel);
  }
  showWarnings();

  const events = new EventSource(EVENTS);
  events.addEventListener('reload', (event) => {
    const change = JSON.parse(event.data);
    closeOverlay();
    if (change.css_only) {
      swapStyles();
    } else {
      sessionStorage.setItem(KEY, String(scrollY));
      location.reload();
    }
  });
  events.addEventListener('errors', (event) => showOverlay(JSON.parse(event.data)));
  events.addEventListener('ok', () => closeOverlay());
})();
