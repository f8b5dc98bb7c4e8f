// Unit tests of the client's own logic against an in-memory server (test/support/fake-server.js).
// The same behaviour against a real server: live.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Undercurrent, backoffDelay } from '../undercurrent.js';
import { FakeServer } from './support/fake-server.js';
import { until } from './support/until.js';

const URL = 'ws://test/v1/live';
const TODOS = { table: 'public.todos' };

function connect(server, options = {}) {
  const states = [];
  const client = new Undercurrent(URL, {
    WebSocket: server.WebSocket,
    initialDelay: 20,
    maxDelay: 160,
    random: () => 1,
    onStateChange: (s) => states.push(s),
    ...options,
  });
  return { client, states };
}

const isSubscribe = (f) => f.type === 'subscribe';

test('applies a snapshot, then added, changed (keeping unchanged columns) and removed by key', async () => {
  const server = new FakeServer();
  const { client } = connect(server);
  const seen = [];
  const todos = client.subscribe(TODOS, { onRows: (rows) => seen.push(rows) });
  const socket = await server.accept(1);
  const sub = await server.received(socket, isSubscribe);
  assert.equal(todos.status, 'loading');

  server.push(socket, { type: 'snapshot', id: sub.id, keyColumns: ['id'], position: 's1',
    rows: [{ id: 1, title: 'milk', body: 'long' }, { id: 2, title: 'eggs', body: 'x' }] });
  server.push(socket, { type: 'changes', id: sub.id, position: 'p2', changes: [
    { op: 'changed', key: { id: 1 }, row: { id: 1, title: 'oat milk' }, unchanged: ['body'] },
    { op: 'removed', key: { id: 2 } },
    { op: 'added', key: { id: 3 }, row: { id: 3, title: 'bread', body: 'y' } }] });

  assert.deepEqual(todos.rows, [{ id: 1, title: 'oat milk', body: 'long' }, { id: 3, title: 'bread', body: 'y' }]);
  assert.equal(todos.status, 'live');
  assert.equal(todos.position, 'p2');
  assert.equal(seen.length, 2);
  client.close();
});

test('a composite key matches rows whatever the order of the key\'s fields', async () => {
  const server = new FakeServer();
  const { client } = connect(server);
  const members = client.subscribe({ table: 'public.members' });
  const socket = await server.accept(1);
  const sub = await server.received(socket, isSubscribe);
  server.push(socket, { type: 'snapshot', id: sub.id, keyColumns: ['team', 'user'], position: 's',
    rows: [{ team: 1, user: 'a', role: 'x' }, { team: 1, user: 'b', role: 'y' }] });
  server.push(socket, { type: 'changes', id: sub.id, position: 'p', changes: [
    { op: 'changed', key: { user: 'a', team: 1 }, row: { user: 'a', team: 1, role: 'z' } },
    { op: 'removed', key: { user: 'b', team: 1 } }] });
  assert.deepEqual(members.rows, [{ user: 'a', team: 1, role: 'z' }]);
  client.close();
});

test('authenticates first and subscribes once the server is ready', async () => {
  const server = new FakeServer();
  const { client, states } = connect(server, { token: 't1' });
  client.subscribe(TODOS);
  const socket = await server.accept(1);
  assert.deepEqual(socket.sent.map((f) => f.type), ['auth']);
  assert.equal(socket.sent[0].token, 't1');
  assert.equal(client.state, 'connecting');

  server.push(socket, { type: 'ready', id: socket.sent[0].id, expiresAt: Date.now() + 3600_000 });
  assert.equal(client.state, 'ready');
  assert.deepEqual(socket.sent.map((f) => f.type), ['auth', 'subscribe']);
  assert.deepEqual(states.map((s) => s.state), ['ready']);
  client.close();
});

test('after a lost connection it reconnects with backoff and replaces its rows with the fresh snapshot', async () => {
  const server = new FakeServer();
  const { client, states } = connect(server);
  const snapshots = [];
  const todos = client.subscribe(TODOS, { onSnapshot: (rows) => snapshots.push(rows) });
  let socket = await server.accept(1);
  let sub = await server.received(socket, isSubscribe);
  server.push(socket, { type: 'snapshot', id: sub.id, keyColumns: ['id'], position: 's1', rows: [{ id: 1 }, { id: 2 }] });

  server.drop(socket, 1006);
  assert.equal(client.state, 'reconnecting');
  assert.equal(client.closeCode, 1006);
  assert.equal(todos.status, 'reconnecting');
  assert.deepEqual(todos.rows, [{ id: 1 }, { id: 2 }], 'rows stay visible while reconnecting');

  socket = await server.accept(2);
  sub = await server.received(socket, isSubscribe);
  assert.equal(sub.after, undefined, 'no resume asked of a server that did not announce it');
  server.push(socket, { type: 'snapshot', id: sub.id, keyColumns: ['id'], position: 's2', rows: [{ id: 2 }, { id: 3 }] });

  assert.deepEqual(todos.rows, [{ id: 2 }, { id: 3 }]);
  assert.equal(todos.status, 'live');
  assert.equal(snapshots.length, 2);
  assert.deepEqual(states.map((s) => s.state), ['ready', 'reconnecting', 'ready']);
  assert.equal(states[1].retryIn, 20);
  client.close();
});

test('resumes from the last applied position when the server announced it can', async () => {
  const server = new FakeServer();
  const { client } = connect(server, { token: 't' });
  const snapshots = [];
  let resumed = 0;
  const todos = client.subscribe(TODOS, { onSnapshot: (rows) => snapshots.push(rows), onResumed: () => resumed++ });
  let socket = await server.accept(1);
  server.push(socket, { type: 'ready', id: socket.sent[0].id, expiresAt: Date.now() + 3600_000, features: ['resume'] });
  let sub = await server.received(socket, isSubscribe);
  assert.equal(sub.after, undefined, 'a first subscription has nothing to resume from');
  server.push(socket, { type: 'snapshot', id: sub.id, keyColumns: ['id'], position: 's1', rows: [{ id: 1, n: 1 }] });
  server.push(socket, { type: 'changes', id: sub.id, position: 'p7', changes: [{ op: 'added', key: { id: 2 }, row: { id: 2, n: 1 } }] });

  server.drop(socket, 1001);
  socket = await server.accept(2);
  server.push(socket, { type: 'ready', id: socket.sent[0].id, expiresAt: Date.now() + 3600_000, features: ['resume'] });
  sub = await server.received(socket, isSubscribe);
  assert.equal(sub.after, 'p7');
  server.push(socket, { type: 'resumed', id: sub.id });
  assert.equal(todos.status, 'live');
  server.push(socket, { type: 'changes', id: sub.id, position: 'p9', changes: [{ op: 'changed', key: { id: 1 }, row: { id: 1, n: 2 } }] });

  assert.deepEqual(todos.rows, [{ id: 1, n: 2 }, { id: 2, n: 1 }], 'rows kept across the resume, the missed delta applied');
  assert.equal(snapshots.length, 1);
  assert.equal(resumed, 1);
  client.close();
});

test('a resubscribe the server answers with reset and a snapshot replaces the rows', async () => {
  const server = new FakeServer();
  const { client } = connect(server, { token: 't' });
  const resets = [];
  const todos = client.subscribe(TODOS, { onReset: (reason) => resets.push(reason) });
  let socket = await server.accept(1);
  server.push(socket, { type: 'ready', id: socket.sent[0].id, features: ['resume'] });
  let sub = await server.received(socket, isSubscribe);
  server.push(socket, { type: 'snapshot', id: sub.id, keyColumns: ['id'], position: 's1', rows: [{ id: 1 }] });

  server.drop(socket, 1006);
  socket = await server.accept(2);
  server.push(socket, { type: 'ready', id: socket.sent[0].id, features: ['resume'] });
  sub = await server.received(socket, isSubscribe);
  assert.equal(sub.after, 's1');
  server.push(socket, { type: 'reset', id: sub.id, reason: 'resume impossible' });
  assert.equal(todos.status, 'loading');
  assert.equal(todos.position, undefined, 'a reset position is never resumed from');
  server.push(socket, { type: 'snapshot', id: sub.id, keyColumns: ['id'], position: 's5', rows: [{ id: 4 }] });

  assert.deepEqual(todos.rows, [{ id: 4 }]);
  assert.deepEqual(resets, ['resume impossible']);
  client.close();
});

test('backoff doubles from initialDelay up to maxDelay, with jitter between half and all of it', () => {
  const full = { initialDelay: 100, maxDelay: 1000, random: () => 1 };
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, full)), [100, 200, 400, 800, 1000, 1000]);
  const half = { initialDelay: 100, maxDelay: 1000, random: () => 0 };
  assert.deepEqual([0, 1, 4].map((a) => backoffDelay(a, half)), [50, 100, 500]);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(2, { initialDelay: 100, maxDelay: 1000 });
    assert.ok(d >= 200 && d <= 400, `jittered delay ${d} within [200, 400]`);
  }
});

test('failed attempts wait longer each time, and a successful connection starts the backoff over', async () => {
  const server = new FakeServer();
  const { client, states } = connect(server);
  for (let n = 1; n <= 5; n++) {
    await until(() => server.sockets[n - 1], `attempt ${n}`);
    server.drop(server.sockets[n - 1], 1006);
  }
  const waits = states.filter((s) => s.state === 'reconnecting').map((s) => s.retryIn);
  assert.deepEqual(waits, [20, 40, 80, 160, 160]);
  assert.deepEqual(states.map((s) => s.attempt).slice(0, 5), [1, 2, 3, 4, 5]);

  const socket = await server.accept(6);
  server.drop(socket, 1006);
  assert.equal(states.at(-1).retryIn, 20, 'back to the first delay after a connection that worked');
  client.close();
});

test('a connection that fails with an error event alone is retried all the same', async () => {
  const server = new FakeServer();
  const { client, states } = connect(server);
  await until(() => server.sockets[0], 'the first attempt');
  server.fail(server.sockets[0]);
  assert.equal(client.state, 'reconnecting');
  assert.equal(states.at(-1).closeCode, 1006);
  await server.accept(2);
  assert.equal(client.state, 'ready');
  client.close();
});

test('a slow-consumer close waits longer before the first reconnect', async () => {
  const server = new FakeServer();
  const { client, states } = connect(server);
  server.drop(await server.accept(1), 4429, 'slow consumer');
  assert.equal(states.at(-1).retryIn, 160);
  client.close();
});

test('a protocol violation ends the client: reconnecting cannot help', async () => {
  const server = new FakeServer();
  const { client, states } = connect(server);
  const todos = client.subscribe(TODOS);
  server.drop(await server.accept(1), 4400, 'protocol violation');
  assert.equal(client.state, 'closed');
  assert.equal(client.closeCode, 4400);
  assert.equal(todos.status, 'closed');
  assert.deepEqual(states.map((s) => s.state), ['ready', 'closed']);
});

test('an expired fixed token ends the client; with getToken it reconnects with a fresh one', async () => {
  const fixed = new FakeServer();
  const a = connect(fixed, { token: 'old' });
  const socket = await fixed.accept(1);
  fixed.push(socket, { type: 'ready', id: socket.sent[0].id });
  fixed.drop(socket, 4401, 'token expired');
  assert.equal(a.client.state, 'closed');
  assert.equal(a.client.closeCode, 4401);

  const refreshing = new FakeServer();
  let issued = 0;
  const b = connect(refreshing, { getToken: async () => 'token-' + ++issued });
  const first = await refreshing.accept(1);
  refreshing.push(first, { type: 'ready', id: first.sent[0].id });
  refreshing.drop(first, 4401, 'token expired');
  assert.equal(b.client.state, 'reconnecting');
  const second = await refreshing.accept(2);
  assert.equal(second.sent[0].token, 'token-2');
  b.client.close();
});

test('a refused token at connect: retried with getToken, the end without it', async () => {
  const server = new FakeServer();
  const errors = [];
  const { client } = connect(server, { token: 'bad', onError: (e) => errors.push(e.code) });
  const socket = await server.accept(1);
  server.push(socket, { type: 'error', id: socket.sent[0].id, code: 'unauthenticated', message: 'bad signature' });
  assert.equal(client.state, 'closed');
  assert.equal(client.closeCode, 4401);
  assert.deepEqual(errors, ['unauthenticated']);

  const refreshing = new FakeServer();
  let issued = 0;
  const b = connect(refreshing, { getToken: async () => 'token-' + ++issued });
  const first = await refreshing.accept(1);
  refreshing.push(first, { type: 'error', id: first.sent[0].id, code: 'unauthenticated', message: 'bad signature' });
  const second = await refreshing.accept(2);
  assert.equal(second.sent[0].token, 'token-2');
  b.client.close();
});

test('refreshes the token before it expires, on the same connection, without subscribing again', async () => {
  const server = new FakeServer();
  let issued = 0;
  const { client } = connect(server, { getToken: async () => 'token-' + ++issued });
  client.subscribe(TODOS);
  const socket = await server.accept(1);
  const expiresAt = Date.now() + 400;
  server.push(socket, { type: 'ready', id: socket.sent[0].id, expiresAt });
  const refresh = await server.received(socket, (f) => f.type === 'auth' && f.token === 'token-2');
  assert.ok(socket.sentAt[socket.sent.indexOf(refresh)] < expiresAt, 'the refresh went out before the token expired');
  server.push(socket, { type: 'ready', id: refresh.id, expiresAt: Date.now() + 3600_000 });
  assert.equal(socket.sent.filter(isSubscribe).length, 1);
  assert.equal(server.sockets.length, 1);
  client.close();
});

test('a query refused for good stays in error; one refused for now is retried under a new id', async () => {
  const server = new FakeServer();
  const { client } = connect(server);
  const errors = [];
  const forbidden = client.subscribe({ table: 'public.secrets' }, { onError: (e) => errors.push(e.code) });
  const flaky = client.subscribe(TODOS);
  const socket = await server.accept(1);
  const [a, b] = await until(() => socket.sent.length === 2 && socket.sent, 'two subscriptions');
  server.push(socket, { type: 'error', id: a.id, code: 'forbidden', message: 'no rule' });
  server.push(socket, { type: 'error', id: b.id, code: 'internal', message: 'Kafka unavailable' });
  assert.equal(forbidden.status, 'error');
  assert.deepEqual(forbidden.error, { code: 'forbidden', message: 'no rule' });
  assert.deepEqual(errors, ['forbidden']);
  assert.equal(flaky.status, 'error');

  const retry = await server.received(socket, (f) => isSubscribe(f) && f.table === 'public.todos', 2);
  assert.notEqual(retry.id, b.id);
  server.push(socket, { type: 'snapshot', id: retry.id, keyColumns: ['id'], position: 's', rows: [] });
  assert.equal(flaky.status, 'live');
  assert.equal(flaky.error, undefined);
  assert.equal(socket.sent.filter((f) => f.table === 'public.secrets').length, 1, 'forbidden is not retried');
  client.close();
});

test('unsubscribe names the current subscription and ignores its late frames', async () => {
  const server = new FakeServer();
  const { client } = connect(server);
  const todos = client.subscribe(TODOS);
  const socket = await server.accept(1);
  const sub = await server.received(socket, isSubscribe);
  todos.unsubscribe();
  assert.deepEqual(socket.sent.at(-1), { type: 'unsubscribe', id: sub.id });
  server.push(socket, { type: 'snapshot', id: sub.id, keyColumns: ['id'], position: 's', rows: [{ id: 1 }] });
  assert.deepEqual(todos.rows, []);
  assert.equal(todos.status, 'closed');
  client.close();
});

test('a connection that stops answering pings is given up and replaced', async () => {
  const server = new FakeServer();
  const { client, states } = connect(server, { pingInterval: 30 });
  const socket = await server.accept(1);
  await server.received(socket, (f) => f.type === 'ping');
  await until(() => client.state === 'reconnecting', 'the silent connection given up');
  assert.equal(states.at(-1).closeCode, 1006);
  assert.match(states.at(-1).closeReason, /no frame from the server/);
  await server.accept(2);
  client.close();
});

test('close ends the connection and every query', async () => {
  const server = new FakeServer();
  const { client, states } = connect(server);
  const todos = client.subscribe(TODOS);
  const socket = await server.accept(1);
  client.close();
  assert.equal(client.state, 'closed');
  assert.equal(client.closeCode, 1000);
  assert.equal(todos.status, 'closed');
  assert.deepEqual(socket.closedByClient, { code: 1000, reason: 'client closed' });
  assert.deepEqual(states.map((s) => s.state), ['ready', 'closed']);
  assert.throws(() => client.subscribe(TODOS), /closed/);
});
