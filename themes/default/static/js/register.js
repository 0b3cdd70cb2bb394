// A register's table, sortable: each column header becomes a button that sorts the rows by
// that column (again for the reverse order), marks the column with aria-sort and says the new
// order in the polite live region under the table. Without JavaScript the table is as built,
// in title order, and the register's views filter it.
(() => {
  const table = document.querySelector('table[data-register]');
  const status = document.getElementById('folio-register-status');
  if (!table || !status) return;
  const headers = Array.from(table.tHead.rows[0].cells);
  const body = table.tBodies[0];
  const collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });

  const value = (row, column) => row.cells[column].getAttribute('data-sort-value') ?? '';

  function sort(column, ascending) {
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = value(a, column);
      const y = value(b, column);
      // Empty values (to be confirmed, not given) go last whichever the order.
      if (!x || !y) return (!x) - (!y);
      const order = collator.compare(x, y);
      return (ascending ? order : -order) || collator.compare(value(a, 0), value(b, 0));
    });
    body.append(...rows);
    headers.forEach((header, i) => {
      if (i === column) header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      else header.removeAttribute('aria-sort');
    });
    const name = headers[column].textContent.trim();
    const dates = rows.some((row) => row.cells[column].querySelector('time'));
    const direction = dates
      ? (ascending ? 'earliest first' : 'latest first')
      : (ascending ? 'A to Z' : 'Z to A');
    status.textContent = `Sorted by ${name}, ${direction}.`;
  }

  headers.forEach((header, column) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'register__sort';
    button.append(...header.childNodes);
    header.append(button);
    button.addEventListener('click', () => {
      sort(column, header.getAttribute('aria-sort') !== 'ascending');
    });
  });
})();
