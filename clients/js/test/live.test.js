// The client against a real server (started by test/run.js): real PostgreSQL, Kafka, rules and edge.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Undercurrent } from '../undercurrent.js';
import { realServer } from './support/server.js';
import { TcpProxy } from './support/proxy.js';
import { until } from './support/until.js';

const server = realServer();
after(() => server.end());

/** A fresh owner per test, so tests sharing the database never see each other's rows. */
const owner = () => 'js-' + randomUUID().slice(0, 8);
const todosOf = (ownerId) => ({ table: 'public.todos', where: { owner_id: { eq: ownerId } }, fields: ['id', 'title', 'done'] });
const insert = (ownerId, title) => server.query('insert into todos(owner_id, title) values ($1, $2) returning id', [ownerId, title]);
const titles = (rows) => rows.map((r) => r.title).sort();
/** A client closed when the test ends, passed or not (an open one would keep the test process alive). */
function open(t, url, options) {
  const client = new Undercurrent(url, options);
  t.after(() => client.close());
  return client;
}
const inDatabase = async (ownerId) => titles(await server.query('select title from todos where owner_id = $1', [ownerId]));

test('the server serves this package\'s module at /v1/undercurrent.js', async (t) => {
  const response = await fetch(server.http + '/v1/undercurrent.js');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /javascript/);
  assert.equal(await response.text(), readFileSync(new URL('../undercurrent.js', import.meta.url), 'utf8'));
});

test('a snapshot, then every committed change, applied by key', async (t) => {
  const me = owner();
  await insert(me, 'first');
  const client = open(t, server.live, { token: server.token('root', 'admin') });
  const changes = [];
  const todos = client.subscribe(todosOf(me), { onChanges: (c) => changes.push(...c) });
  await until(() => todos.status === 'live', 'the snapshot');
  assert.deepEqual(titles(todos.rows), ['first']);
  assert.deepEqual(todos.keyColumns, ['id']);

  const [{ id }] = await insert(me, 'second');
  await server.query('update todos set title = $1 where owner_id = $2 and title = $3', ['first, renamed', me, 'first']);
  await server.query('delete from todos where id = $1', [id]);
  await until(() => changes.some((c) => c.op === 'removed'), 'the delete');

  assert.deepEqual(changes.map((c) => c.op), ['added', 'changed', 'removed']);
  assert.deepEqual(titles(todos.rows), await inDatabase(me));
  assert.ok(todos.position, 'the position of the last frame is kept for resuming');
});

test('a dropped connection: reconnects with growing delays, then resumes with exactly what it missed', async (t) => {
  const me = owner();
  await insert(me, 'kept');
  await insert(me, 'deleted while away');
  const proxy = await TcpProxy.start(server.port);
  t.after(() => proxy.close());
  const states = [];
  const client = open(t, `ws://127.0.0.1:${proxy.port}/v1/live`, {
    token: server.token('root', 'admin'),
    initialDelay: 50,
    maxDelay: 400,
    onStateChange: (s) => states.push(s),
  });
  let snapshots = 0;
  let resumes = 0;
  const todos = client.subscribe(todosOf(me), { onSnapshot: () => snapshots++, onResumed: () => resumes++ });
  await until(() => todos.status === 'live', 'the first snapshot');

  proxy.refuse(true);
  proxy.drop();
  await until(() => client.state === 'reconnecting', 'the lost connection noticed');
  assert.equal(todos.status, 'reconnecting');
  assert.equal(states.at(-1).closeCode, 1006);
  await insert(me, 'added while away');
  await server.query('delete from todos where owner_id = $1 and title = $2', [me, 'deleted while away']);
  await until(() => states.filter((s) => s.state === 'reconnecting').length >= 4, 'four failed attempts');

  proxy.refuse(false);
  await until(() => client.state === 'ready' && todos.status === 'live' && resumes === 1
    && JSON.stringify(titles(todos.rows)) === JSON.stringify(['added while away', 'kept']), 'the query resumed with what it missed');
  assert.equal(snapshots, 1, 'resumed from its position, not sent a new snapshot');
  assert.deepEqual(titles(todos.rows), await inDatabase(me));

  const waits = states.filter((s) => s.state === 'reconnecting').map((s) => s.retryIn);
  [50, 100, 200, 400].forEach((base, attempt) =>
    assert.ok(waits[attempt] >= base / 2 && waits[attempt] <= base, `wait ${waits[attempt]} of attempt ${attempt + 1} within [${base / 2}, ${base}]`));
  assert.deepEqual([states[0].state, states.at(-1).state], ['ready', 'ready']);

  await insert(me, 'after the reconnect');
  await until(() => todos.rows.length === 3, 'a change on the new connection');
});

test('getToken keeps a connection alive past the expiry of every token it handed out', async (t) => {
  const me = owner();
  let issued = 0;
  const states = [];
  const client = open(t, server.live, {
    getToken: async () => {
      issued++;
      return server.token('root', 'admin', 2);
    },
    onStateChange: (s) => states.push(s.state),
  });
  const todos = client.subscribe(todosOf(me));
  await until(() => todos.status === 'live', 'the snapshot');
  const firstExpiry = client.expiresAt;
  await until(() => issued >= 3 && Date.now() > firstExpiry + 200, 'two refreshes and the first token\'s expiry');

  await insert(me, 'after the first token expired');
  await until(() => todos.rows.length === 1, 'a change after the first token expired');
  assert.deepEqual(states, ['ready'], 'never disconnected');
});

test('a fixed token that expires ends the client with 4401 instead of reconnecting forever', async (t) => {
  const errors = [];
  const client = open(t, server.live, { token: server.token('root', 'admin', 1), onError: (e) => errors.push(e.code) });
  const todos = client.subscribe(todosOf(owner()));
  await until(() => client.state === 'closed', 'the close at exp');
  assert.equal(client.closeCode, 4401);
  assert.equal(todos.status, 'closed');
  assert.ok(errors.includes('token_expired'), `token_expired reported, got ${errors}`);
});

test('a query the rules forbid is in error, and the connection carries on', async (t) => {
  const client = open(t, server.live, { token: server.token('alice', 'user') });
  const forbidden = client.subscribe({ table: 'public.no_such_table' });
  const mine = client.subscribe({ table: 'public.todos', where: { owner_id: { eq: 'alice' } } });
  await until(() => forbidden.status === 'error' && mine.status === 'live', 'both answers');
  assert.equal(forbidden.error.code, 'forbidden');
  assert.ok(mine.rows.every((r) => r.owner_id === 'alice' && !('internal_note' in r)));
});

test('channels: presence and typing between two clients, a refused join, and a leave when one closes', async (t) => {
  const alice = open(t, server.live, { token: server.token('alice', 'user') });
  const root = open(t, server.live, { token: server.token('root', 'admin') });
  const bob = open(t, server.live, { token: server.token('bob', 'user') });
  const typing = [];
  const list = alice.join('todos:alice', { onMessage: (data, from) => typing.push([from.info.sub, data]) });
  await until(() => list.status === 'joined', 'alice joined');
  const watching = root.join('todos:alice');
  await until(() => watching.status === 'joined', 'root joined');

  const subs = (channel) => channel.members.map((m) => m.info.sub).sort();
  await until(() => subs(list).join() === 'alice,root', 'alice sees root');
  assert.deepEqual(subs(watching), ['alice', 'root']);
  assert.deepEqual(list.members.find((m) => m.info.sub === 'root').info, { sub: 'root', role: 'admin' }, 'only the claims the rule shows');
  assert.equal(watching.self, watching.members.find((m) => m.info.sub === 'root').client);

  await watching.publish({ typing: true });
  await until(() => typing.length === 1, 'the typing indicator');
  assert.deepEqual(typing, [['root', { typing: true }]]);

  const refused = bob.join('todos:alice');
  await until(() => refused.status === 'error', 'bob refused');
  assert.equal(refused.error.code, 'forbidden');
  await assert.rejects(refused.publish({ typing: true }), (e) => e.code === 'not_joined');

  root.close();
  await until(() => subs(list).join() === 'alice', 'root left when its connection closed');
});
