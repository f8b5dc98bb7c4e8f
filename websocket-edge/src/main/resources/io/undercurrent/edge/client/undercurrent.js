/*
 * Undercurrent JavaScript client (protocol v1). No dependencies; works in browsers and Node 22+.
 *
 *   const uc = new Undercurrent('ws://localhost:8080/v1/live', { token });
 *   const todos = uc.subscribe({ table: 'public.todos', where: { done: { eq: false } } }, {
 *     onRows: (rows) => render(rows),               // after the snapshot and after every change
 *     onChanges: (changes) => console.log(changes), // the deltas as they arrive
 *     onError: (err) => console.error(err.code, err.message),
 *   });
 *   todos.unsubscribe();
 *
 * The client keeps each live query's rows by key, reconnects with backoff when the server says a
 * reconnect may help (close codes 1001, 1006, 4401, 4408, 4429), and subscribes again on the new
 * connection: the server then sends a fresh snapshot, so nothing is lost across a reconnect.
 */
(function (root) {
  'use strict';

  const RECONNECT_CODES = new Set([1001, 1005, 1006, 1011, 1012, 1013, 4401, 4408, 4429]);

  class LiveQuery {
    constructor(client, id, query, handlers) {
      this.client = client;
      this.id = id;
      this.query = query;
      this.handlers = handlers || {};
      this.rows = new Map(); // JSON of the key -> row
      this.ready = false;
    }

    /** The current rows, as an array, in arrival order. */
    list() {
      return Array.from(this.rows.values());
    }

    unsubscribe() {
      this.client._unsubscribe(this);
    }

    _keyOf(row) {
      const key = {};
      for (const column of this.keyColumns) key[column] = row[column];
      return JSON.stringify(key);
    }

    _snapshot(frame) {
      this.keyColumns = frame.keyColumns;
      this.rows.clear();
      for (const row of frame.rows) this.rows.set(this._keyOf(row), row);
      this.ready = true;
      this._emitRows();
    }

    _changes(frame) {
      for (const change of frame.changes) {
        const key = JSON.stringify(change.key);
        if (change.op === 'removed') {
          this.rows.delete(key);
        } else {
          const previous = this.rows.get(key);
          const row = Object.assign({}, change.row);
          if (previous && change.unchanged) for (const c of change.unchanged) row[c] = previous[c];
          this.rows.set(key, row);
        }
      }
      if (this.handlers.onChanges) this.handlers.onChanges(frame.changes, frame);
      this._emitRows();
    }

    _emitRows() {
      if (this.handlers.onRows) this.handlers.onRows(this.list());
    }
  }

  class Undercurrent {
    /**
     * @param url     ws:// or wss:// address of /v1/live
     * @param options { token, getToken: async () => token, WebSocket }
     */
    constructor(url, options) {
      this.url = url;
      this.options = options || {};
      this.queries = new Map();
      this.nextId = 1;
      this.backoff = 250;
      this.closed = false;
      this._connect();
    }

    subscribe(query, handlers) {
      const id = 'q' + this.nextId++;
      const live = new LiveQuery(this, id, query, handlers);
      this.queries.set(id, live);
      this._sendSubscribe(live);
      return live;
    }

    /** Replaces the token without dropping subscriptions. */
    setToken(token) {
      this.options.token = token;
      this._send({ type: 'auth', token });
    }

    close() {
      this.closed = true;
      clearInterval(this.pinger);
      if (this.socket) this.socket.close(1000, 'client closed');
    }

    _unsubscribe(live) {
      this.queries.delete(live.id);
      this._send({ type: 'unsubscribe', id: live.id });
    }

    _sendSubscribe(live) {
      const frame = Object.assign({ type: 'subscribe', id: live.id }, live.query);
      this._send(frame);
    }

    _send(frame) {
      if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(frame));
    }

    async _connect() {
      if (this.closed) return;
      const WS = this.options.WebSocket || root.WebSocket;
      let token = this.options.token;
      if (this.options.getToken) token = await this.options.getToken();
      const socket = new WS(this.url);
      this.socket = socket;
      socket.onopen = () => {
        this.backoff = 250;
        if (token) this._send({ type: 'auth', token });
        for (const live of this.queries.values()) this._sendSubscribe(live);
        clearInterval(this.pinger);
        this.pinger = setInterval(() => this._send({ type: 'ping' }), 25000);
        if (this.options.onOpen) this.options.onOpen();
      };
      socket.onmessage = (event) => this._receive(JSON.parse(event.data));
      socket.onclose = (event) => {
        clearInterval(this.pinger);
        if (this.options.onClose) this.options.onClose(event.code, event.reason);
        if (!this.closed && (RECONNECT_CODES.has(event.code))) {
          setTimeout(() => this._connect(), this.backoff);
          this.backoff = Math.min(this.backoff * 2, 15000);
        }
      };
    }

    _receive(frame) {
      const live = frame.id ? this.queries.get(frame.id) : undefined;
      switch (frame.type) {
        case 'snapshot': if (live) live._snapshot(frame); break;
        case 'changes': if (live) live._changes(frame); break;
        case 'reset': if (live && live.handlers.onReset) live.handlers.onReset(frame.reason); break;
        case 'error':
          if (live) {
            if (live.handlers.onError) live.handlers.onError(frame);
          } else if (this.options.onError) {
            this.options.onError(frame);
          }
          break;
        default:
          if (this.options.onFrame) this.options.onFrame(frame);
      }
    }
  }

  root.Undercurrent = Undercurrent;
  if (typeof module !== 'undefined' && module.exports) module.exports = { Undercurrent };
})(typeof globalThis !== 'undefined' ? globalThis : this);
