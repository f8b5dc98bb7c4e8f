// The React hook with real React (react-test-renderer), against the in-memory server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, createElement as h, useState } from 'react';
import TestRenderer from 'react-test-renderer';
import { Undercurrent } from '../undercurrent.js';
import { UndercurrentProvider, useLiveQuery } from '../react.js';
import { FakeServer } from './support/fake-server.js';

globalThis.IS_REACT_ACT_ENVIRONMENT = true;
const { act } = TestRenderer;

/** Renders `component` under a provider; every value the hook returned is kept in `seen`. */
async function mount(component, client) {
  let renderer;
  await act(async () => {
    renderer = TestRenderer.create(h(UndercurrentProvider, { client }, h(component)));
  });
  return renderer;
}

function setUp() {
  const server = new FakeServer();
  const client = new Undercurrent('ws://test/v1/live', { WebSocket: server.WebSocket });
  return { server, client };
}

const subscribes = (socket) => socket.sent.filter((f) => f.type === 'subscribe');

test('useLiveQuery returns the rows, renders again on every change, and unsubscribes on unmount', async () => {
  const { server, client } = setUp();
  const seen = [];
  function Todos() {
    const state = useLiveQuery({ table: 'public.todos', where: { done: { eq: false } } });
    seen.push(state);
    return h('ul', null, state.rows.map((r) => h('li', { key: r.id }, r.title)));
  }
  const socket = await server.accept(1);
  const renderer = await mount(Todos, client);
  const [sub] = subscribes(socket);
  assert.deepEqual(sub.where, { done: { eq: false } });
  assert.equal(seen.at(-1).status, 'loading');

  await act(async () => server.push(socket, { type: 'snapshot', id: sub.id, keyColumns: ['id'], position: 's', rows: [{ id: 1, title: 'milk' }] }));
  await act(async () => server.push(socket, { type: 'changes', id: sub.id, position: 'p', changes: [{ op: 'added', key: { id: 2 }, row: { id: 2, title: 'eggs' } }] }));
  assert.deepEqual(renderer.root.findAllByType('li').map((li) => li.children[0]), ['milk', 'eggs']);
  assert.equal(seen.at(-1).status, 'live');
  assert.equal(subscribes(socket).length, 1, 'a query literal in the render does not subscribe again');

  await act(async () => renderer.unmount());
  assert.deepEqual(socket.sent.at(-1), { type: 'unsubscribe', id: sub.id });
  client.close();
});

test('a different query subscribes anew and never shows the previous query\'s rows', async () => {
  const { server, client } = setUp();
  let show;
  const seen = [];
  function Todos() {
    const [owner, setOwner] = useState('alice');
    show = setOwner;
    const state = useLiveQuery({ table: 'public.todos', where: { owner_id: { eq: owner } } });
    seen.push({ owner, state });
    return null;
  }
  const socket = await server.accept(1);
  await mount(Todos, client);
  const [alice] = subscribes(socket);
  await act(async () => server.push(socket, { type: 'snapshot', id: alice.id, keyColumns: ['id'], position: 's', rows: [{ id: 1, owner_id: 'alice' }] }));

  await act(async () => show('bob'));
  const bob = subscribes(socket)[1];
  assert.deepEqual(bob.where, { owner_id: { eq: 'bob' } });
  assert.deepEqual(socket.sent.find((f) => f.type === 'unsubscribe'), { type: 'unsubscribe', id: alice.id });
  for (const { owner, state } of seen.filter((s) => s.owner === 'bob')) {
    assert.ok(state.rows.every((r) => r.owner_id === owner), 'no render shows alice\'s rows for bob');
  }
  await act(async () => server.push(socket, { type: 'snapshot', id: bob.id, keyColumns: ['id'], position: 's', rows: [{ id: 4, owner_id: 'bob' }] }));
  assert.deepEqual(seen.at(-1).state.rows, [{ id: 4, owner_id: 'bob' }]);
  client.close();
});

test('the error and status of a refused query, and a reconnect, reach the component', async () => {
  const { server, client } = setUp();
  const seen = [];
  function Secrets() {
    seen.push(useLiveQuery({ table: 'public.secrets' }));
    return null;
  }
  function Todos() {
    seen.push(useLiveQuery({ table: 'public.todos' }));
    return null;
  }
  const socket = await server.accept(1);
  await mount(Secrets, client);
  const [sub] = subscribes(socket);
  await act(async () => server.push(socket, { type: 'error', id: sub.id, code: 'forbidden', message: 'no rule' }));
  assert.equal(seen.at(-1).status, 'error');
  assert.deepEqual(seen.at(-1).error, { code: 'forbidden', message: 'no rule' });

  await mount(Todos, client);
  const todos = subscribes(socket)[1];
  await act(async () => server.push(socket, { type: 'snapshot', id: todos.id, keyColumns: ['id'], position: 's', rows: [{ id: 1 }] }));
  await act(async () => server.drop(socket, 1006));
  assert.equal(seen.at(-1).status, 'reconnecting');
  assert.deepEqual(seen.at(-1).rows, [{ id: 1 }]);
  client.close();
});

test('null subscribes to nothing; without a client the hook says what is missing', async () => {
  const { server, client } = setUp();
  const seen = [];
  function Nothing() {
    seen.push(useLiveQuery(null));
    return null;
  }
  const socket = await server.accept(1);
  await mount(Nothing, client);
  assert.equal(subscribes(socket).length, 0);
  assert.deepEqual(seen.at(-1), { rows: [], status: 'loading', error: undefined });

  function Orphan() {
    useLiveQuery({ table: 'public.todos' });
    return null;
  }
  class Boundary extends Component {
    constructor(props) {
      super(props);
      this.state = { error: null };
    }

    static getDerivedStateFromError(error) {
      return { error };
    }

    render() {
      return this.state.error ? h('p', null, this.state.error.message) : this.props.children;
    }
  }
  const original = console.error;
  console.error = () => {}; // React logs the caught render error as well
  let renderer;
  try {
    await act(async () => {
      renderer = TestRenderer.create(h(Boundary, null, h(Orphan)));
    });
  } finally {
    console.error = original;
  }
  assert.match(renderer.root.findByType('p').children[0], /needs a client: render inside <UndercurrentProvider/);
  client.close();
});
