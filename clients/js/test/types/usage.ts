// Compiled (never run) by types.test.js: the typings accept the documented usage and refuse misuse.
import { Undercurrent, backoffDelay, type Change, type Channel, type ChannelMember, type ChannelState, type ConnectionStatus, type QueryState, type ServerError } from '../../undercurrent.js';
import { UndercurrentProvider, useLiveQuery, useUndercurrent } from '../../react.js';
import { createElement } from 'react';

interface Todo {
  [column: string]: unknown;
  id: number;
  title: string;
  done: boolean;
}

const client = new Undercurrent('ws://localhost:8080/v1/live', {
  getToken: async () => 'jwt',
  initialDelay: 100,
  onStateChange: (status: ConnectionStatus) => console.log(status.state, status.closeCode, status.retryIn),
  onError: (error) => console.log(error.code, error.message),
});
const todos = client.subscribe<Todo>(
  { table: 'public.todos', where: { done: { eq: false } }, orderBy: [['id', 'asc']], limit: 50 },
  {
    onRows: (rows) => rows.map((t) => t.title.toUpperCase()),
    onChanges: (changes: Change<Todo>[]) => changes.filter((c) => c.op === 'removed').map((c) => c.key),
    onReset: (reason: string) => console.log(reason),
  },
);
const done: boolean | undefined = todos.rows[0]?.done;
const stop: () => void = todos.onUpdate((state: QueryState<Todo>) => console.log(state.status, state.error?.code));
stop();
todos.unsubscribe();
const wait: number = backoffDelay(3, { initialDelay: 100 });
console.log(done, wait, client.state === 'reconnecting', client.features.has('resume'));

function List() {
  const { rows, status, error } = useLiveQuery<Todo>({ table: 'public.todos' });
  const c = useUndercurrent();
  return createElement('p', null, status, error?.message, rows.length, c?.state);
}
createElement(UndercurrentProvider, { client }, createElement(List));

// @ts-expect-error a query needs a table
client.subscribe({ where: {} });
// @ts-expect-error orderBy directions are asc or desc
client.subscribe({ table: 't', orderBy: [['id', 'up']] });
// @ts-expect-error rows are read-only
todos.rows.push({ id: 1, title: 'x', done: false });
// @ts-expect-error the connection state is one of four words
const wrong: ConnectionStatus['state'] = 'open';
console.log(wrong);

// channels: presence and typing
const room: Channel<{ typing: boolean }> = client.join<{ typing: boolean }>('group:42', {
  onPresence: (members: readonly ChannelMember[]) => members.map((m) => m.info.sub),
  onMessage: (data, from) => console.log(data.typing, from.client),
  onLeft: (reason, code) => console.log(reason, code === 'forbidden'),
});
room.publish({ typing: true }).catch((e: ServerError) => console.log(e.code));
const unwatch: () => void = room.onUpdate((state: ChannelState) => console.log(state.status, state.members.length));
unwatch();
room.leave();
// @ts-expect-error a message has the channel's data type
room.publish({ typing: 'yes' });
// @ts-expect-error members are read-only
room.members.push({ client: 'x', info: {} });
