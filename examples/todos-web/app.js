// The example app: one live query on public.todos, as the user picked above.
import { Undercurrent } from '/v1/undercurrent.js';

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
  tbody.innerHTML = '';
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
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

function showState(sub, s) {
  if (s.state === 'ready') status.textContent = 'connected as ' + sub;
  else if (s.state === 'reconnecting') status.textContent = 'disconnected (' + s.closeCode + '), reconnecting in ' + Math.ceil(s.retryIn / 1000) + ' s…';
  else if (s.state === 'closed') status.textContent = 'closed (' + s.closeCode + ')';
}

function viewAs(sub, role) {
  document.querySelectorAll('.users button').forEach((b) => b.classList.toggle('active', b.dataset.sub === sub));
  if (client) client.close();
  client = new Undercurrent(url, {
    // Asked at every connect and again before each token expires, so a long session never
    // reconnects with an expired token.
    getToken: async () => (await (await fetch('/dev/token?sub=' + sub + '&role=' + role)).json()).token,
    onStateChange: (s) => showState(sub, s),
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
