// The group chat: as the user picked above, three live queries (the user's memberships, the names of
// groups, and every message the rules let them read), and a form that writes through the example's
// own endpoint. What the page shows is exactly what the server sends: a message leaves the page when
// the server removes it, e.g. because its reader left the group.
import { Undercurrent } from '/v1/undercurrent.js';

const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/live';
const $ = (id) => document.getElementById(id);
const state = { sub: null, client: null, token: null, groups: [], names: new Map(), messages: [], fresh: new Set() };

const tokenFor = async (sub) => (await (await fetch('/dev/token?sub=' + encodeURIComponent(sub))).json()).token;
const groupName = (id) => state.names.get(String(id)) ?? 'group ' + id;

function renderGroups() {
  const list = $('groups');
  const to = $('to');
  const chosen = to.value;
  list.replaceChildren();
  to.replaceChildren();
  for (const m of [...state.groups].sort((a, b) => a.group_id - b.group_id)) {
    const li = document.createElement('li');
    li.dataset.group = m.group_id;
    li.textContent = groupName(m.group_id) + (m.role === 'owner' ? ' (owner)' : '');
    list.appendChild(li);
    const option = document.createElement('option');
    option.value = m.group_id;
    option.textContent = groupName(m.group_id);
    to.appendChild(option);
  }
  if ([...to.options].some((o) => o.value === chosen)) to.value = chosen;
  if (!state.groups.length) list.innerHTML = '<li class="muted">none</li>';
}

function renderMessages() {
  const list = $('messages');
  list.replaceChildren();
  for (const m of [...state.messages].sort((a, b) => a.id - b.id)) {
    const li = document.createElement('li');
    li.dataset.id = m.id;
    li.dataset.group = m.group_id;
    if (state.fresh.has(String(m.id))) li.className = 'flash';
    const group = document.createElement('span');
    group.className = 'group';
    group.textContent = groupName(m.group_id);
    const author = document.createElement('span');
    author.className = 'author';
    author.textContent = m.author_id + (m.author_email ? ' <' + m.author_email + '>' : '');
    const body = document.createElement('span');
    body.className = 'body';
    body.textContent = m.body;
    li.append(group, author, body);
    list.appendChild(li);
  }
  state.fresh.clear();
}

function showState(s) {
  const text = { ready: 'connected as ' + state.sub, connecting: 'connecting…', closed: 'closed (' + s.closeCode + ')' };
  $('status').textContent = text[s.state] ?? 'disconnected (' + s.closeCode + '), reconnecting in ' + Math.ceil(s.retryIn / 1000) + ' s…';
}

const notice = (text) => ($('notice').textContent = text);

function be(sub) {
  document.querySelectorAll('.users button').forEach((b) => b.classList.toggle('active', b.dataset.sub === sub));
  state.client?.close();
  Object.assign(state, { sub, groups: [], messages: [], fresh: new Set() });
  renderGroups();
  renderMessages();
  const client = new Undercurrent(url, {
    // Asked at every connect and before each token expires; kept for the write endpoint too.
    getToken: async () => (state.token = await tokenFor(sub)),
    onStateChange: showState,
  });
  state.client = client;
  const failed = (e) => notice('error ' + e.code + ': ' + e.message);
  client.subscribe({ table: 'public.memberships', where: { user_id: { eq: sub } } }, {
    onRows: (rows) => { state.groups = rows; renderGroups(); },
    onError: failed,
  });
  client.subscribe({ table: 'public.groups' }, {
    onRows: (rows) => { state.names = new Map(rows.map((g) => [String(g.id), g.name])); renderGroups(); renderMessages(); },
    onError: failed,
  });
  client.subscribe({ table: 'public.messages', orderBy: [['id', 'asc']] }, {
    onChanges: (changes) => changes.forEach((c) => c.op === 'added' && state.fresh.add(String(c.key.id))),
    onRows: (rows) => { state.messages = rows; renderMessages(); },
    onError: failed,
  });
}

async function send(event) {
  event.preventDefault();
  const body = $('body').value.trim();
  const group = Number($('to').value);
  if (!body || !group) return;
  const response = await fetch('/example/chat/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + (state.token ?? (await tokenFor(state.sub))) },
    body: JSON.stringify({ group_id: group, body }),
  });
  if (response.ok) {
    $('body').value = '';
    notice('');
  } else {
    notice('not sent: ' + (await response.json()).error);
  }
}

$('send').addEventListener('submit', send);
document.querySelectorAll('.users button').forEach((b) => b.addEventListener('click', () => be(b.dataset.sub)));
be(new URLSearchParams(location.search).get('as') || 'alice');
