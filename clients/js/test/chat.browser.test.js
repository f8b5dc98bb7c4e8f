// examples/chat-web in a real browser, as two people use it: alice and bob each on their own page
// (own browser context), against the real server test/run.js starts, which serves the page at /chat/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { realServer } from './support/server.js';
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

/** A group of its own for each test, so tests never see each other's messages or memberships. */
async function newGroup(members) {
  const [{ id }] = await server.query('insert into groups(name) values ($1) returning id', ['Test ' + randomUUID().slice(0, 8)]);
  for (const [user, role] of Object.entries(members)) {
    await server.query('insert into memberships(group_id, user_id, role) values ($1, $2, $3)', [id, user, role]);
  }
  return String(id);
}

/** The chat page as `sub`; fails the test on any error the page reports. */
async function chatAs(t, sub) {
  const page = await openPage(t, browser);
  await page.goto(`${server.http}/chat/?as=${sub}`);
  await until(async () => (await page.textContent('#status')) === 'connected as ' + sub, `${sub}'s page connected`);
  t.after(() => assert.deepEqual(page.problems, [], `${sub}'s page reported no error`));
  return page;
}
const onlineOn = (page, group) => page.$eval(`#groups li[data-group="${group}"] .online`, (e) => e.textContent).catch(() => '');
const typingOn = (page) => page.textContent('#typing');
const groupsOn = (page) => page.$$eval('#groups li[data-group]', (items) => items.map((li) => li.dataset.group));
const messagesOn = (page, group) =>
  page.$$eval('#messages li', (items, group) => items.filter((li) => li.dataset.group === group).map((li) => li.querySelector('.body').textContent), group);

test('alice writes in a group through the page; the message is stored as hers', { skip }, async (t) => {
  const group = await newGroup({ alice: 'owner', bob: 'member' });
  const alice = await chatAs(t, 'alice');
  await until(async () => (await groupsOn(alice)).includes(group), 'the new group in alice\'s list');

  const text = 'hello from alice ' + randomUUID().slice(0, 8);
  await alice.selectOption('#to', group);
  await alice.fill('#body', text);
  await alice.click('#send button');
  await until(async () => (await alice.inputValue('#body')) === '', 'the form cleared after the write');
  const stored = await server.query('select author_id, author_email from messages where group_id = $1 and body = $2', [group, text]);
  assert.deepEqual(stored, [{ author_id: 'alice', author_email: 'alice@example.com' }]);
});

test('alice writes and bob sees it live; removed from the group, bob loses its messages', { skip }, async (t) => {
  const group = await newGroup({ alice: 'owner', bob: 'member' });
  const [alice, bob] = [await chatAs(t, 'alice'), await chatAs(t, 'bob')];
  await until(async () => (await groupsOn(alice)).includes(group) && (await groupsOn(bob)).includes(group), 'the group on both pages');

  const text = 'hi bob ' + randomUUID().slice(0, 8);
  await alice.selectOption('#to', group);
  await alice.fill('#body', text);
  await alice.click('#send button');
  await until(async () => (await messagesOn(bob, group)).includes(text), 'alice\'s message on bob\'s page');
  await until(async () => (await messagesOn(alice, group)).includes(text), 'alice\'s message on her own page');
  const author = await bob.$eval(`#messages li[data-group="${group}"] .author`, (e) => e.textContent);
  assert.equal(author, 'alice', 'a member sees who wrote it, not their email (only owners do)');

  await until(async () => (await onlineOn(alice, group)) === 'online: alice, bob', 'bob online on alice\'s page');
  await server.query('delete from memberships where group_id = $1 and user_id = $2', [group, 'bob']);
  await until(async () => (await messagesOn(bob, group)).length === 0, 'the group\'s messages gone from bob\'s page');
  await until(async () => (await onlineOn(alice, group)) === 'online: alice', 'bob no longer online in the group on alice\'s page');
  assert.ok(!(await groupsOn(bob)).includes(group), 'and the group from his list');
  await alice.fill('#body', 'after bob left');
  await alice.click('#send button');
  await until(async () => (await messagesOn(alice, group)).includes('after bob left'), 'alice\'s next message');
  assert.deepEqual(await messagesOn(bob, group), [], 'nothing more of the group reaches bob');
});

test('presence and typing: bob is online on alice\'s page, his typing shows and clears, and he leaves with his page', { skip }, async (t) => {
  const group = await newGroup({ alice: 'owner', bob: 'member' });
  const [alice, bob] = [await chatAs(t, 'alice'), await chatAs(t, 'bob')];
  await until(async () => (await onlineOn(alice, group)) === 'online: alice, bob', 'both online on alice\'s page');
  await until(async () => (await onlineOn(bob, group)) === 'online: alice, bob', 'both online on bob\'s page');
  const name = await bob.$eval(`#groups li[data-group="${group}"]`, (li) => li.firstChild.textContent);

  await bob.selectOption('#to', group);
  await bob.locator('#body').pressSequentially('hel');
  await until(async () => (await typingOn(alice)) === `bob is typing in ${name}…`, 'bob typing, on alice\'s page');
  assert.equal(await typingOn(bob), '', 'nobody else is typing on bob\'s page');
  await until(async () => (await typingOn(alice)) === '', 'the typing line gone once bob paused', 10_000);

  await bob.locator('#body').pressSequentially('lo alice');
  await until(async () => (await typingOn(alice)).startsWith('bob is typing'), 'bob typing again');
  await bob.click('#send button');
  await until(async () => (await messagesOn(alice, group)).includes('hello alice'), 'his message');
  await until(async () => (await typingOn(alice)) === '', 'the typing line gone once he sent it');

  await bob.close();
  await until(async () => (await onlineOn(alice, group)) === 'online: alice', 'bob gone from alice\'s page with his own page');
});

test('bob is removed from a group: it leaves his list of groups at once', { skip }, async (t) => {
  const group = await newGroup({ alice: 'owner', bob: 'member' });
  const bob = await chatAs(t, 'bob');
  await until(async () => (await groupsOn(bob)).includes(group), 'the group in bob\'s list');

  await server.query('delete from memberships where group_id = $1 and user_id = $2', [group, 'bob']);
  await until(async () => !(await groupsOn(bob)).includes(group), 'the group gone from bob\'s list');
  assert.ok(!(await bob.$$eval('#to option', (os) => os.map((o) => o.value))).includes(group), 'nor can he write to it');
});

test('the write endpoint stores only what a member sends', async () => {
  const group = await newGroup({ alice: 'owner' });
  const post = (token, body) =>
    fetch(server.http + '/example/chat/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
      body: JSON.stringify(body),
    });
  assert.equal((await post(server.token('alice', 'user'), { group_id: Number(group), body: 'mine' })).status, 201);
  const outsider = await post(server.token('mallory', 'user'), { group_id: Number(group), body: 'let me in' });
  assert.equal(outsider.status, 403);
  assert.match((await outsider.json()).error, /mallory is not a member of group/);
  assert.equal((await post(null, { group_id: Number(group), body: 'anonymous' })).status, 401);
  assert.equal((await post(server.token('alice', 'user'), { group_id: Number(group), body: '   ' })).status, 400);
  const bodies = await server.query('select body from messages where group_id = $1', [group]);
  assert.deepEqual(bodies, [{ body: 'mine' }]);
});
