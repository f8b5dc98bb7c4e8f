// The group chat: as the user picked above, three live queries (the user's memberships, the names of
// groups, and every message the rules let them read), a channel per group (group:<id>) for who is
// online and who is typing, and a form that writes through the example's own endpoint. What the page
// shows is exactly what the server sends: a message leaves the page when the server removes it, e.g.
// because its reader left the group.
import { Undercurrent } from '/v1/undercurrent.js';

const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/live';
const $ = (id) => document.getElementById(id);
const state = {
  sub: null, client: null, token: null, groups: [], names: new Map(), messages: [], fresh: new Set(),
  channels: new Map(), // group id -> Channel
  typing: new Map(), // group id -> Map(sub -> timer that clears it)
};
/** How long "typing" shows without news: a typist whose page vanished stops showing. */
const TYPING_SHOWN_MS = 6000;
/** A typist tells the group again at most this often while typing, and "stopped" after this much quiet. */
const TYPING_EVERY_MS = 2000;
const TYPING_QUIET_MS = 3000;

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
    const online = document.createElement('div');
    online.className = 'online';
    const present = onlineIn(m.group_id);
    online.textContent = present.length ? 'online: ' + present.join(', ') : '';
    li.appendChild(online);
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

/** Who is in the group's channel now, each user once (one may have several pages open), self included. */
function onlineIn(groupId) {
  const channel = state.channels.get(String(groupId));
  if (!channel) return [];
  return [...new Set(channel.members.map((m) => String(m.info.sub)))].sort();
}

function renderTyping() {
  const lines = [];
  for (const [groupId, typists] of state.typing) {
    if (typists.size) lines.push([...typists.keys()].sort().join(', ') + (typists.size > 1 ? ' are' : ' is') + ' typing in ' + groupName(groupId) + '…');
  }
  $('typing').textContent = lines.join(' ');
}

function typing(groupId, sub, on) {
  const typists = state.typing.get(groupId) ?? new Map();
  state.typing.set(groupId, typists);
  clearTimeout(typists.get(sub));
  if (on) typists.set(sub, setTimeout(() => typing(groupId, sub, false), TYPING_SHOWN_MS));
  else typists.delete(sub);
  renderTyping();
}

/** In the channel of each group the user is in, and of no other. */
function syncChannels() {
  const wanted = new Set(state.groups.map((m) => String(m.group_id)));
  for (const [groupId, channel] of state.channels) {
    if (!wanted.has(groupId)) {
      channel.leave();
      state.channels.delete(groupId);
      state.typing.delete(groupId);
    }
  }
  for (const groupId of wanted) {
    if (state.channels.has(groupId)) continue;
    state.channels.set(groupId, state.client.join('group:' + groupId, {
      onPresence: renderGroups,
      onLeave: (member) => typing(groupId, String(member.info.sub), false),
      onMessage: (data, from) => typing(groupId, String(from.info.sub), data?.typing === true),
      onError: (e) => notice('group ' + groupName(groupId) + ': ' + e.code + ': ' + e.message),
      // The server took us out (our membership was deleted, or the rule changed): forget the channel, so
      // that a membership given back joins it again; until then nobody shows as present or typing.
      onLeft: (reason) => {
        if (reason === undefined) return; // our own leave (syncChannels forgets the channel itself)
        state.channels.delete(groupId);
        state.typing.delete(groupId);
        renderGroups();
        renderTyping();
      },
    }));
  }
  renderTyping();
}

/** Tells the group the user is typing (at most every TYPING_EVERY_MS), and that they stopped. */
const typist = { groupId: null, sentAt: 0, quiet: null };
function tellTyping(on) {
  const channel = state.channels.get(typist.groupId);
  clearTimeout(typist.quiet);
  if (on) {
    typist.quiet = setTimeout(() => tellTyping(false), TYPING_QUIET_MS);
    if (Date.now() - typist.sentAt < TYPING_EVERY_MS) return;
    typist.sentAt = Date.now();
  } else {
    if (!typist.sentAt) return;
    typist.sentAt = 0;
  }
  channel?.publish({ typing: on }).catch(() => {}); // a lost typing hint is not worth a message
}

function typed() {
  const groupId = $('to').value;
  if (typist.groupId !== groupId) {
    tellTyping(false);
    typist.groupId = groupId;
  }
  tellTyping($('body').value.trim() !== '');
}

function showState(s) {
  const text = { ready: 'connected as ' + state.sub, connecting: 'connecting…', closed: 'closed (' + s.closeCode + ')' };
  $('status').textContent = text[s.state] ?? 'disconnected (' + s.closeCode + '), reconnecting in ' + Math.ceil(s.retryIn / 1000) + ' s…';
}

const notice = (text) => ($('notice').textContent = text);

function be(sub) {
  document.querySelectorAll('.users button').forEach((b) => b.classList.toggle('active', b.dataset.sub === sub));
  state.client?.close();
  state.typing.forEach((typists) => typists.forEach((timer) => clearTimeout(timer)));
  Object.assign(state, { sub, groups: [], messages: [], fresh: new Set(), channels: new Map(), typing: new Map() });
  Object.assign(typist, { groupId: null, sentAt: 0 });
  clearTimeout(typist.quiet);
  renderTyping();
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
    onRows: (rows) => { state.groups = rows; syncChannels(); renderGroups(); },
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
    tellTyping(false);
    notice('');
  } else {
    notice('not sent: ' + (await response.json()).error);
  }
}

$('send').addEventListener('submit', send);
$('body').addEventListener('input', typed);
$('to').addEventListener('change', typed);
document.querySelectorAll('.users button').forEach((b) => b.addEventListener('click', () => be(b.dataset.sub)));
be(new URLSearchParams(location.search).get('as') || 'alice');
