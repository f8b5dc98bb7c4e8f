// The example app: one live query on public.todos, as the user picked above.
(function () {
  'use strict';
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/live';
  const tbody = document.getElementById('rows');
  const status = document.getElementById('status');
  const log = document.getElementById('log');
  let client;

  function line(text) {
    const div = document.createElement('div');
    div.textContent = new Date().toLocaleTimeString() + '  ' + text;
    log.prepend(div);
  }

  function render(rows, changedKeys) {
    rows.sort((a, b) => a.id - b.id);
    tbody.innerHTML = '';
    for (const row of rows) {
      const tr = document.createElement('tr');
      tr.dataset.id = row.id;
      if (changedKeys && changedKeys.has(String(row.id))) tr.className = 'flash';
      for (const column of ['id', 'owner_id', 'title', 'done', 'internal_note']) {
        const td = document.createElement('td');
        const value = row[column];
        td.textContent = column === 'internal_note' && !(column in row) ? '(masked)' : value === null || value === undefined ? '' : String(value);
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
    }
  }

  async function viewAs(sub, role) {
    document.querySelectorAll('.users button').forEach((b) => b.classList.toggle('active', b.dataset.sub === sub));
    if (client) client.close();
    const { token } = await (await fetch('/dev/token?sub=' + sub + '&role=' + role)).json();
    client = new Undercurrent(url, {
      token,
      onOpen: () => { status.textContent = 'connected as ' + sub; },
      onClose: (code) => { status.textContent = 'disconnected (' + code + '), reconnecting…'; },
    });
    let lastChanged = new Set();
    client.subscribe({ table: 'public.todos', orderBy: [['id', 'asc']] }, {
      onChanges: (changes) => {
        lastChanged = new Set(changes.map((c) => String(c.key.id)));
        for (const c of changes) line(c.op + ' ' + JSON.stringify(c.key) + (c.row ? ' ' + JSON.stringify(c.row) : ''));
      },
      onRows: (rows) => { render(rows, lastChanged); lastChanged = new Set(); },
      onError: (e) => line('error ' + e.code + ': ' + e.message),
      onReset: (reason) => line('reset: ' + reason),
    });
  }

  document.querySelectorAll('.users button').forEach((b) => b.addEventListener('click', () => viewAs(b.dataset.sub, b.dataset.role)));
  viewAs('alice', 'user');
})();
