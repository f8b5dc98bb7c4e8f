'use strict';
// The naive peer: what a realtime feed looks like without durability, snapshots or rules.
// A trigger on the table calls pg_notify with each new row; one ws server LISTENs and sends each
// notification to the clients whose filter matches, filtering in application code. The load
// generator runs it beside Undercurrent on the same database, so both see the same commits.
//
//   node server.js --db postgresql://postgres:postgres@localhost:54329/app [--port 0] [--table public.todos]
//
// Clients send {"type":"subscribe","owner_id":"c3"} (or no owner_id for every row) and receive
// {"type":"subscribed"}, then {"type":"changes","changes":[{"op":"INSERT","row":{...}}]} per row.
// On SIGTERM or SIGINT the trigger is dropped again.

const { Client } = require('pg');
const { WebSocketServer } = require('ws');

const CHANNEL = 'naive_peer';

function options(argv) {
  const out = { db: null, port: 0, table: 'public.todos' };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--db') { out.db = value; i++; }
    else if (argv[i] === '--port') { out.port = Number(value); i++; }
    else if (argv[i] === '--table') { out.table = value; i++; }
    else { fail(`unknown argument ${argv[i]}; expected --db URL [--port N] [--table schema.table]`); }
  }
  if (!out.db) fail('--db postgresql://user:password@host:port/database is required');
  if (!/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(out.table)) fail(`--table ${out.table}: expected schema.table`);
  return out;
}

function fail(message) {
  console.error(`naive-peer: ${message}`);
  process.exit(2);
}

function triggerSql(table) {
  return `
    create or replace function naive_peer_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('${CHANNEL}', json_build_object('op', tg_op, 'row', row_to_json(coalesce(new, old)))::text);
      return null;
    end $$;
    drop trigger if exists naive_peer_notify on ${table};
    create trigger naive_peer_notify after insert or update or delete on ${table}
      for each row execute function naive_peer_notify();`;
}

async function main() {
  const opts = options(process.argv.slice(2));
  const db = new Client({ connectionString: opts.db });
  await db.connect();
  await db.query(triggerSql(opts.table));

  const clients = new Set();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: opts.port, perMessageDeflate: false });
  const listening = new Promise((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('connection', (socket) => {
    const client = { socket, owner: undefined, subscribed: false };
    socket.on('message', (data) => {
      let frame;
      try {
        frame = JSON.parse(data.toString());
      } catch (e) {
        socket.send('{"type":"error","message":"not JSON"}');
        return;
      }
      if (frame.type === 'subscribe') {
        client.owner = frame.owner_id;
        client.subscribed = true;
        socket.send('{"type":"subscribed"}');
      }
    });
    socket.on('close', () => clients.delete(client));
    socket.on('error', () => clients.delete(client));
    clients.add(client);
  });

  // One parse per notification; the frame text is built once and the filter runs per client.
  db.on('notification', (message) => {
    const change = JSON.parse(message.payload);
    const owner = change.row.owner_id;
    const text = '{"type":"changes","changes":[' + message.payload + ']}';
    for (const client of clients) {
      if (client.subscribed && (client.owner === undefined || client.owner === owner)) {
        client.socket.send(text);
      }
    }
  });
  await db.query(`listen ${CHANNEL}`);

  await listening;
  console.log(`naive-peer listening on ${wss.address().port}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const client of clients) client.socket.terminate();
    wss.close();
    try {
      await db.query(`drop trigger if exists naive_peer_notify on ${opts.table}`);
    } finally {
      await db.end();
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => fail(e.message));
