// Unit tests of the client's channel API (presence, typing) against an in-memory server.
// The same against a real server: live.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Undercurrent } from '../undercurrent.js';
import { FakeServer } from './support/fake-server.js';

const URL = 'ws://test/v1/live';
const alice = { client: 'ca', info: { sub: 'alice' } };
const bob = { client: 'cb', info: { sub: 'bob' } };

function connect(server) {
  return new Undercurrent(URL, { WebSocket: server.WebSocket, initialDelay: 20, maxDelay: 160, random: () => 1 });
}

test('joins once ready, keeps who is present from joined and presence frames, and hears messages', async () => {
  const server = new FakeServer();
  const client = connect(server);
  const events = [];
  const room = client.join('group:42', {
    onJoin: (m) => events.push('join ' + m.info.sub),
    onLeave: (m) => events.push('leave ' + m.info.sub),
    onMessage: (data, from) => events.push(from.info.sub + ' ' + JSON.stringify(data)),
  });
  const socket = await server.accept(1);
  const join = await server.received(socket, (f) => f.type === 'join');
  assert.equal(join.channel, 'group:42');
  assert.equal(room.status, 'joining');

  server.push(socket, { type: 'joined', id: join.id, channel: 'group:42', client: 'ca', presence: [alice] });
  assert.equal(room.status, 'joined');
  assert.equal(room.self, 'ca');
  assert.deepEqual(room.members, [alice]);

  server.push(socket, { type: 'presence', channel: 'group:42', joins: [bob] });
  assert.deepEqual(room.members, [alice, bob]);
  server.push(socket, { type: 'message', channel: 'group:42', from: bob, data: { typing: true } });
  server.push(socket, { type: 'presence', channel: 'group:42', leaves: [bob] });
  server.push(socket, { type: 'message', channel: 'doc:1', from: bob, data: 1 }); // not ours
  assert.deepEqual(room.members, [alice]);
  assert.deepEqual(events, ['join bob', 'bob {"typing":true}', 'leave bob']);
  client.close();
  assert.equal(room.status, 'left');
});

test('publish resolves on published and rejects with the server\'s error', async () => {
  const server = new FakeServer();
  const client = connect(server);
  const room = client.join('group:42');
  const socket = await server.accept(1);
  const join = await server.received(socket, (f) => f.type === 'join');
  await assert.rejects(room.publish({ typing: true }), (e) => e.code === 'not_joined');
  server.push(socket, { type: 'joined', id: join.id, channel: 'group:42', client: 'ca', presence: [alice] });

  const sent = room.publish({ typing: true });
  const publish = await server.received(socket, (f) => f.type === 'publish');
  assert.deepEqual(publish.data, { typing: true });
  server.push(socket, { type: 'published', id: publish.id, channel: 'group:42' });
  await sent;

  const refused = room.publish({ typing: false });
  const second = await server.received(socket, (f) => f.type === 'publish' && f.id !== publish.id);
  server.push(socket, { type: 'error', id: second.id, code: 'rate_limited', message: 'slow down' });
  await assert.rejects(refused, (e) => e.code === 'rate_limited');
  client.close();
});

test('a refused join is an error; leave sends leave; the server may take the client out', async () => {
  const server = new FakeServer();
  const client = connect(server);
  const errors = [];
  const denied = client.join('secret:1', { onError: (e) => errors.push(e.code) });
  const room = client.join('group:42', { onLeft: (reason, code) => errors.push('left: ' + reason + (code ? ' (' + code + ')' : '')) });
  const socket = await server.accept(1);
  const joins = socket.sent.filter((f) => f.type === 'join');
  server.push(socket, { type: 'error', id: joins[0].id, code: 'forbidden', message: 'no' });
  assert.equal(denied.status, 'error');
  assert.deepEqual(denied.error, { code: 'forbidden', message: 'no' });

  server.push(socket, { type: 'joined', id: joins[1].id, channel: 'group:42', client: 'ca', presence: [alice] });
  server.push(socket, { type: 'left', channel: 'group:42', reason: 'token changed; join again' });
  assert.equal(room.status, 'left');
  assert.deepEqual(errors, ['forbidden', 'left: token changed; join again']);

  const again = client.join('group:42');
  const rejoin = await server.received(socket, (f) => f.type === 'join' && f.id !== joins[1].id && f.channel === 'group:42');
  server.push(socket, { type: 'joined', id: rejoin.id, channel: 'group:42', client: 'ca', presence: [alice] });
  again.leave();
  assert.ok(socket.sent.some((f) => f.type === 'leave' && f.channel === 'group:42'));
  assert.equal(again.status, 'left');

  // taken out because the rule no longer lets the client in (its membership was deleted): the code says so
  const removed = [];
  const group = client.join('group:7', { onLeft: (reason, code) => removed.push([code, reason]) });
  const joinGroup = await server.received(socket, (f) => f.type === 'join' && f.channel === 'group:7');
  server.push(socket, { type: 'joined', id: joinGroup.id, channel: 'group:7', client: 'ca', presence: [alice, bob] });
  server.push(socket, { type: 'left', channel: 'group:7', code: 'forbidden', reason: 'the channel rule no longer lets this client join group:7' });
  assert.equal(group.status, 'left');
  assert.deepEqual(group.members, []);
  assert.deepEqual(removed, [['forbidden', 'the channel rule no longer lets this client join group:7']]);
  server.push(socket, { type: 'message', channel: 'group:7', from: bob, data: 1 }); // no longer ours: ignored
  assert.throws(() => { client.join('doc:1'); client.join('doc:1'); }, /already in channel doc:1/);
  client.close();
});

test('after a lost connection the channel is joined again and its presence replaced', async () => {
  const server = new FakeServer();
  const client = connect(server);
  const room = client.join('group:42');
  const first = await server.accept(1);
  const join = await server.received(first, (f) => f.type === 'join');
  server.push(first, { type: 'joined', id: join.id, channel: 'group:42', client: 'ca', presence: [alice, bob] });
  server.drop(first);
  assert.equal(room.status, 'reconnecting');

  const second = await server.accept(2);
  const rejoin = await server.received(second, (f) => f.type === 'join');
  server.push(second, { type: 'joined', id: rejoin.id, channel: 'group:42', client: 'cz', presence: [{ client: 'cz', info: { sub: 'alice' } }] });
  assert.equal(room.status, 'joined');
  assert.equal(room.self, 'cz');
  assert.deepEqual(room.members.map((m) => m.client), ['cz']);
  client.close();
});
