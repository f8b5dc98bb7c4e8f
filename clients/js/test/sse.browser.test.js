// Server-Sent Events from a real browser: Chromium's own EventSource against the real server (started
// by test/run.js, with edge.sse-token-parameter on, since EventSource cannot send an Authorization
// header). The connection runs through a TCP proxy so the test can cut it under the browser, which
// then reconnects by itself, sending the last event id as Last-Event-ID.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { realServer } from './support/server.js';
import { TcpProxy } from './support/proxy.js';
import { until } from './support/until.js';
import { browserSkip, launchBrowser, openPage } from './support/browser.js';

const skip = browserSkip();
const server = realServer();
let browser;
before(async () => {
  if (!skip) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server.end();
});

const insert = (ownerId, title) => server.query('insert into todos(owner_id, title) values ($1, $2) returning id', [ownerId, title]);

/**
 * Opens an EventSource in the page for `url` and records, in `window.sse.events`, every event it
 * gets: the server's (snapshot, changes, resumed, reset, error, close) with their `id:` and data,
 * and the browser's own `open` and connection `failure` (an `error` event without data).
 */
function listen(page, url) {
  return page.evaluate((url) => {
    const events = [];
    const source = new EventSource(url);
    window.sse = { source, events };
    for (const type of ['snapshot', 'changes', 'resumed', 'reset', 'close']) {
      source.addEventListener(type, (e) => events.push({ type, id: e.lastEventId, data: JSON.parse(e.data) }));
    }
    source.addEventListener('open', () => events.push({ type: 'open' }));
    source.addEventListener('error', (e) =>
      events.push(e.data === undefined ? { type: 'failure', readyState: source.readyState } : { type: 'error', data: JSON.parse(e.data) }));
  }, url);
}
const eventsIn = (page) => page.evaluate(() => window.sse.events);
const titlesIn = (events) => {
  const rows = new Map();
  for (const e of events) {
    if (e.type === 'snapshot') {
      rows.clear();
      for (const row of e.data.rows) rows.set(row.id, row.title);
    }
    if (e.type === 'changes') {
      for (const c of e.data.changes) c.op === 'removed' ? rows.delete(c.key.id) : rows.set(c.row.id, c.row.title);
    }
  }
  return [...rows.values()].sort();
};

test('EventSource: a snapshot, committed changes, and after a cut connection an automatic resume from Last-Event-ID', { skip }, async (t) => {
  const me = 'sse-' + randomUUID().slice(0, 8);
  await insert(me, 'kept');
  await insert(me, 'deleted while away');
  const proxy = await TcpProxy.start(server.port);
  t.after(() => proxy.close());
  const origin = `http://127.0.0.1:${proxy.port}`;
  const page = await openPage(t, browser);
  const sseRequests = [];
  page.on('request', (r) => r.url().includes('/v1/live/sse') && sseRequests.push(r));
  await page.goto(origin + '/health/live');

  const query = new URLSearchParams({
    table: 'public.todos',
    where: JSON.stringify({ owner_id: { eq: me } }),
    fields: 'id,title',
    token: server.token(me, 'user'),
  });
  await listen(page, '/v1/live/sse?' + query);
  const snapshot = (await until(async () => (await eventsIn(page)).find((e) => e.type === 'snapshot'), 'the snapshot event')).data;
  assert.deepEqual(snapshot.rows.map((r) => r.title).sort(), ['deleted while away', 'kept']);
  assert.deepEqual(snapshot.keyColumns, ['id']);

  await insert(me, 'added live');
  await until(async () => titlesIn(await eventsIn(page)).includes('added live'), 'the inserted row as a changes event');
  const beforeCut = await eventsIn(page);
  const lastId = beforeCut.findLast((e) => e.type === 'changes').id;
  assert.match(lastId, /^u1\./, 'a changes event carries its position as the event id');

  // Cut the connection and keep the server unreachable while rows change, so the browser can only
  // learn of them by resuming.
  proxy.refuse(true);
  proxy.drop();
  await until(async () => (await eventsIn(page)).some((e) => e.type === 'failure'), 'the browser noticing the cut');
  await insert(me, 'added while away');
  await server.query('delete from todos where owner_id = $1 and title = $2', [me, 'deleted while away']);
  proxy.refuse(false);

  const events = await until(async () => {
    const all = await eventsIn(page);
    return titlesIn(all).join('|') === 'added live|added while away|kept' && all;
  }, 'the browser reconnecting and receiving what it missed', 30_000);
  const afterCut = events.slice(beforeCut.length);
  assert.deepEqual(afterCut.filter((e) => e.type !== 'failure').map((e) => e.type).slice(0, 2), ['open', 'resumed'],
    'the reconnect resumed rather than starting over');
  assert.equal(afterCut.find((e) => e.type === 'resumed').data.id, 'sse');
  assert.equal(events.filter((e) => e.type === 'snapshot').length, 1, 'no second snapshot');
  assert.ok(!events.some((e) => e.type === 'reset'), 'no reset');
  const missed = afterCut.filter((e) => e.type === 'changes').flatMap((e) => e.data.changes);
  assert.deepEqual(missed.map((c) => c.op).sort(), ['added', 'removed'], 'exactly the two changes made while away');

  const reconnect = sseRequests.at(-1);
  assert.ok(sseRequests.length >= 2, 'the browser sent a second request by itself');
  assert.equal(await reconnect.headerValue('last-event-id'), lastId, 'the reconnect carried the last event id');

  await insert(me, 'after the reconnect');
  await until(async () => titlesIn(await eventsIn(page)).includes('after the reconnect'), 'a change on the resumed stream');
});

test('a refused token ends the browser\'s EventSource instead of reconnecting forever', { skip }, async (t) => {
  const page = await openPage(t, browser);
  await page.goto(server.http + '/health/live');
  const query = new URLSearchParams({ table: 'public.todos', token: server.token('someone', 'user', -60) });
  await listen(page, '/v1/live/sse?' + query);
  await until(() => page.evaluate(() => window.sse.source.readyState === EventSource.CLOSED), 'the EventSource closed');
  const status = await page.evaluate(async (url) => (await fetch(url)).status, '/v1/live/sse?' + query);
  assert.equal(status, 401);
});
