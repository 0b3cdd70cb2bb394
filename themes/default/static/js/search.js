// The search page: reads ?q=, asks the Pagefind index folio built, lists the results as
// links and says how many there are in a polite live region. Every address is taken from
// this script's own, so the site works in a folder of a web server as at a domain's root.
const FOLIO_ROOT = new URL('../', document.currentScript.src);
(async () => {
  const PAGEFIND = new URL('pagefind/pagefind.js', FOLIO_ROOT).href;
  const form = document.querySelector('form.search-page');
  const input = document.getElementById('search-query');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  if (!form || !input || !status || !list) return;

  const aToZ = () => {
    const link = document.createElement('a');
    link.href = new URL('a-z/', FOLIO_ROOT).pathname;
    link.textContent = 'A to Z of pages';
    return link;
  };

  let pagefind;
  try {
    pagefind = await import(PAGEFIND);
    await pagefind.init();
    // A large site's index comes in shards: the first is Pagefind's folder, shards.json
    // lists the others, each searched with it.
    const listed = await fetch(new URL('pagefind/shards.json', FOLIO_ROOT));
    const shards = listed.ok ? await listed.json() : [];
    await Promise.all(shards.map((s) => pagefind.mergeIndex(new URL(`pagefind/${s}`, FOLIO_ROOT).pathname)));
  } catch {
    status.replaceChildren('Search is not available on this copy of the site. Every page is in the ', aToZ(), '.');
    return;
  }

  // Entities back to characters; a <textarea> never runs what it holds.
  const decoder = document.createElement('textarea');
  const decode = (html) => {
    decoder.innerHTML = html;
    return decoder.value;
  };

  // Pagefind marks the words it matched with <mark>; keep those and nothing else.
  const excerpt = (html) => {
    const p = document.createElement('p');
    p.className = 'search-result__excerpt';
    const parts = html.split(/(<mark>|<\/mark>)/);
    let marked = false;
    for (const part of parts) {
      if (part === '<mark>') marked = true;
      else if (part === '</mark>') marked = false;
      else if (part) {
        const text = document.createTextNode(decode(part));
        if (marked) {
          const m = document.createElement('mark');
          m.append(text);
          p.append(m);
        } else p.append(text);
      }
    }
    return p;
  };

  let latest = 0;
  const run = async (query) => {
    const ticket = ++latest;
    list.replaceChildren();
    if (!query.trim()) {
      status.textContent = '';
      return;
    }
    const search = await pagefind.search(query);
    const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    if (ticket !== latest) return;
    for (const r of results) {
      const item = document.createElement('li');
      item.className = 'search-result';
      const heading = document.createElement('h2');
      heading.className = 'search-result__title';
      const link = document.createElement('a');
      link.href = r.url;
      link.textContent = r.meta.title || r.url;
      heading.append(link);
      item.append(heading);
      if (r.meta.booklet && r.meta.booklet !== r.meta.title) {
        const where = document.createElement('p');
        where.className = 'search-result__booklet';
        where.textContent = `In ${r.meta.booklet}`;
        item.append(where);
      }
      item.append(excerpt(r.excerpt));
      list.append(item);
    }
    const n = search.results.length;
    if (n === 0) {
      status.replaceChildren(
        `No results for “${query}”. Check the spelling, try other words, or look through the `,
        aToZ(),
        '.',
      );
    } else {
      status.textContent = `${n} ${n === 1 ? 'result' : 'results'} for “${query}”`;
    }
  };

  const query = new URLSearchParams(location.search).get('q') ?? '';
  input.value = query;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set('q', input.value);
    history.replaceState(null, '', url);
    run(input.value);
  });
  run(query);
})();
