/*
 * Undercurrent JavaScript client: live queries over WebSocket (protocol v1, ready for resume), and
 * ephemeral channels (presence, typing indicators).
 * An ES module with no dependencies, for browsers and Node 22+ (or any WebSocket class passed as
 * options.WebSocket). Types and documentation: undercurrent.d.ts; guide: README.md.
 *
 *   import { Undercurrent } from '/v1/undercurrent.js';
 *   const client = new Undercurrent('ws://localhost:8080/v1/live', { getToken: async () => fetchToken() });
 *   const todos = client.subscribe({ table: 'public.todos', where: { done: { eq: false } } }, {
 *     onRows: (rows) => render(rows),
 *   });
 *
 *   const room = client.join('group:42', {
 *     onPresence: (members) => showWhoIsHere(members),          // [{client, info: {sub, ...}}]
 *     onMessage: (data, from) => showTyping(from.info.sub, data),
 *   });
 *   room.publish({ typing: true });
 *
 * One client holds one connection. It keeps every live query's rows by key, reconnects with
 * exponential backoff and jitter, subscribes again on the new connection (asking to resume from the
 * last applied position when the server announces it can), and refreshes the token before it expires.
 */

/** Close codes after which reconnecting cannot help (PROTOCOL.md: fix the client). */
const FATAL_CLOSE_CODES = new Set([1002, 1003, 1007, 1009, 1010, 4400]);
const UNAUTHENTICATED_CLOSE = 4401;
const SLOW_CONSUMER_CLOSE = 4429;
/** Query errors that say "retry later"; every other query error ends the query. */
const RETRIABLE_QUERY_ERRORS = new Set(['internal', 'rate_limited', 'overloaded']);
/** A slow-consumer close starts its backoff at this attempt (2 s with the default delays), not at once. */
const SLOW_CONSUMER_FIRST_ATTEMPT = 3;

const DEFAULTS = Object.freeze({
  initialDelay: 250,
  maxDelay: 15000,
  pingInterval: 25000,
  connectTimeout: 10000,
  refreshMargin: 60000,
});

/**
 * The wait before reconnect attempt `attempt` (0 for the first): exponential, capped, with jitter so
 * that clients dropped together do not come back together. Between half and all of
 * min(maxDelay, initialDelay * 2^attempt).
 */
export function backoffDelay(attempt, { initialDelay = DEFAULTS.initialDelay, maxDelay = DEFAULTS.maxDelay, random = Math.random } = {}) {
  const base = Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** One live query: its rows by key, its status, and the position of the last frame applied. */
export class LiveQuery {
  constructor(client, query, handlers) {
    this._client = client;
    this.query = Object.freeze({ ...query });
    this._handlers = handlers || {};
    this._rows = new Map(); // JSON of the key -> row
    this._listeners = new Set();
    this.keyColumns = undefined;
    this.position = undefined;
    this.status = 'loading';
    this.error = undefined;
    this._state = Object.freeze({ rows: Object.freeze([]), status: 'loading', error: undefined });
    this._wireId = undefined;
    this._retries = 0;
    this._retryTimer = undefined;
  }

  /** The current rows, in arrival order. A new array after every change; do not modify it. */
  get rows() {
    return this._state.rows;
  }

  /** Same as {@link rows}; kept for code written against the first client. */
  list() {
    return this._state.rows.slice();
  }

  /** rows, status and error as one frozen object, replaced on every update (for useSyncExternalStore). */
  get state() {
    return this._state;
  }

  /** Calls listener(state) after every update; returns a function that removes it. */
  onUpdate(listener) {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  unsubscribe() {
    this._client._unsubscribe(this);
  }

  /** The key columns' values in keyColumns order, so a snapshot row and a change's key agree whatever their field order. */
  _keyOf(rowOrKey) {
    return JSON.stringify(this.keyColumns.map((column) => rowOrKey[column]));
  }

  _snapshot(frame) {
    this.keyColumns = frame.keyColumns;
    this._rows.clear();
    for (const row of frame.rows) this._rows.set(this._keyOf(row), row);
    this.position = frame.position;
    this._retries = 0;
    this._set('live', undefined);
    this._call('onSnapshot', this.rows, frame);
    this._call('onRows', this.rows);
  }

  _changes(frame) {
    for (const change of frame.changes) {
      const key = this._keyOf(change.key);
      if (change.op === 'removed') {
        this._rows.delete(key);
      } else {
        const previous = this._rows.get(key);
        const row = { ...change.row };
        if (previous && change.unchanged) for (const column of change.unchanged) row[column] = previous[column];
        this._rows.set(key, row);
      }
    }
    if (frame.position !== undefined) this.position = frame.position;
    this._set('live', undefined);
    this._call('onChanges', frame.changes, frame);
    this._call('onRows', this.rows);
  }

  /** The server kept our rows valid: only the deltas missed since `after` follow. */
  _resumed(frame) {
    this._retries = 0;
    this._set('live', undefined);
    this._call('onResumed', frame);
  }

  /**
   * The rows are no longer valid and a fresh snapshot follows. They stay visible until it arrives (no
   * flash of an empty list); the position is forgotten so a reconnect before then asks for a snapshot.
   */
  _reset(frame) {
    this.position = undefined;
    this._set('loading', undefined);
    this._call('onReset', frame.reason, frame);
  }

  _failed(frame) {
    this._set('error', { code: frame.code, message: frame.message });
    this._call('onError', this.error);
  }

  _set(status, error) {
    this.status = status;
    this.error = error;
    this._state = Object.freeze({ rows: Object.freeze(Array.from(this._rows.values())), status, error });
    for (const listener of this._listeners) listener(this._state);
  }

  _call(name, ...args) {
    const handler = this._handlers[name];
    if (handler) handler(...args);
  }
}

/**
 * One ephemeral channel the client is in (PROTOCOL.md, "Channels"): who is present, and the messages
 * others publish to it (typing indicators). Joined again on every new connection.
 */
export class Channel {
  constructor(client, name, handlers) {
    this._client = client;
    this.name = name;
    this._handlers = handlers || {};
    this._members = new Map(); // client id -> {client, info}
    this._listeners = new Set();
    /** This connection's own client id in presence, once joined (new on every connection). */
    this.self = undefined;
    /** 'joining' | 'joined' | 'reconnecting' | 'error' | 'left' */
    this.status = 'joining';
    this.error = undefined;
    this._wireId = undefined;
    this._retries = 0;
    this._retryTimer = undefined;
    this._memberList = Object.freeze([]);
  }

  /** Everyone present, this client included: [{client, info}], in join order. A new array after every change. */
  get members() {
    return this._memberList;
  }

  /**
   * Sends data (any JSON value) to everyone else present. Resolves once the server has taken it;
   * rejects with {code, message} when it refused it (rate_limited, limit_exceeded, forbidden...).
   */
  publish(data) {
    return this._client._publish(this, data);
  }

  /** Leaves the channel; nothing more arrives for it. */
  leave() {
    this._client._leave(this);
  }

  /** Calls listener({members, status, error}) after every update; returns a function that removes it. */
  onUpdate(listener) {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  _joined(frame) {
    this.self = frame.client;
    this._members = new Map(frame.presence.map((m) => [m.client, m]));
    this._retries = 0;
    this._set('joined', undefined);
    this._call('onJoined', this.members, frame);
    this._call('onPresence', this.members);
  }

  _presence(frame) {
    for (const m of frame.joins || []) {
      this._members.set(m.client, m);
      this._call('onJoin', m);
    }
    for (const m of frame.leaves || []) {
      this._members.delete(m.client);
      this._call('onLeave', m);
    }
    this._set(this.status, this.error);
    this._call('onPresence', this.members);
  }

  _message(frame) {
    this._call('onMessage', frame.data, frame.from);
  }

  _left(reason, code) {
    this._members.clear();
    this._set('left', undefined);
    this._call('onLeft', reason, code);
  }

  _failed(frame) {
    this._set('error', { code: frame.code, message: frame.message });
    this._call('onError', this.error);
  }

  _set(status, error) {
    this.status = status;
    this.error = error;
    this._memberList = Object.freeze(Array.from(this._members.values()));
    const state = Object.freeze({ members: this._memberList, status, error });
    for (const listener of this._listeners) listener(state);
  }

  _call(name, ...args) {
    const handler = this._handlers[name];
    if (handler) handler(...args);
  }
}

/** A client of one Undercurrent server: one WebSocket connection, any number of live queries. */
export class Undercurrent {
  /**
   * @param {string} url ws:// or wss:// address of /v1/live
   * @param {object} [options] see undercurrent.d.ts (token, getToken, WebSocket, delays, callbacks)
   */
  constructor(url, options = {}) {
    this.url = url;
    this.options = { ...DEFAULTS, ...options };
    this.state = 'connecting';
    this.closeCode = undefined;
    this.closeReason = undefined;
    this.expiresAt = undefined;
    this.features = new Set();
    this._token = options.token;
    this._queries = new Set();
    this._byWireId = new Map();
    this._channels = new Map(); // name -> Channel
    this._channelRequests = new Map(); // wire id -> {channel, resolve, reject}
    this._stateListeners = new Set();
    this._nextId = 1;
    this._attempt = 0;
    this._closed = false;
    this._socket = undefined;
    this._timers = new Set();
    this._connect();
  }

  /** Starts a live query; its rows arrive through the handlers and on the returned LiveQuery. */
  subscribe(query, handlers) {
    if (this._closed) throw new Error('this Undercurrent client is closed; create a new one');
    const live = new LiveQuery(this, query, handlers);
    this._queries.add(live);
    if (this.state === 'ready') this._subscribeOnSocket(live);
    return live;
  }

  /**
   * Joins an ephemeral channel (presence, typing): who is present arrives through the handlers
   * (onJoined, onPresence, onJoin, onLeave) and on the returned Channel's members; others' messages
   * through onMessage(data, from). The channel is joined again after every reconnect.
   */
  join(name, handlers) {
    if (this._closed) throw new Error('this Undercurrent client is closed; create a new one');
    if (this._channels.has(name)) throw new Error('already in channel ' + name + '; leave it first');
    const channel = new Channel(this, name, handlers);
    this._channels.set(name, channel);
    if (this.state === 'ready') this._joinOnSocket(channel);
    return channel;
  }

  /** Calls listener(status) on every connection state change; returns a function that removes it. */
  onStateChange(listener) {
    this._stateListeners.add(listener);
    return () => this._stateListeners.delete(listener);
  }

  /** Replaces the token, on the open connection too, without dropping live queries. */
  setToken(token) {
    this._token = token;
    if (this.state === 'ready') this._send({ type: 'auth', id: this._newId('a'), token });
  }

  /** Fetches a fresh token with getToken and sends it on the open connection. */
  async refreshToken() {
    if (!this.options.getToken) throw new Error('refreshToken needs the getToken option');
    const token = await this.options.getToken();
    this.setToken(token);
  }

  /** Closes the connection for good; live queries end. */
  close() {
    if (this._closed) return;
    this._closed = true;
    const socket = this._socket;
    this._dropSocket();
    if (socket) socket.close(1000, 'client closed');
    this._end(1000, 'client closed', undefined);
  }

  // ---- connection ----

  async _connect() {
    if (this._closed) return;
    let token = this._token;
    if (this.options.getToken) {
      try {
        token = await this.options.getToken();
        this._token = token;
      } catch (e) {
        this._connectionError({ code: 'token_source', message: 'getToken failed: ' + (e && e.message ? e.message : e) });
        this._retry(undefined, 'getToken failed');
        return;
      }
      if (this._closed) return;
    }
    const WS = this.options.WebSocket || globalThis.WebSocket;
    if (!WS) throw new Error('no WebSocket class: pass options.WebSocket (for example from the ws package), or use Node 22+');
    const socket = new WS(this.url);
    this._socket = socket;
    this._socketToken = token;
    this._subscribed = false;
    this._authId = undefined;
    this.features = new Set();
    this._after(this.options.connectTimeout, () => {
      if (this._socket === socket && socket.readyState !== 1) this._abandon(socket, 'no connection within ' + this.options.connectTimeout + ' ms');
    });
    socket.onopen = () => {
      if (this._socket !== socket) return;
      this._lastHeard = Date.now();
      this._heartbeat(socket);
      if (token) {
        this._authId = this._newId('a');
        this._send({ type: 'auth', id: this._authId, token });
      } else {
        this._ready({});
      }
    };
    socket.onmessage = (event) => {
      if (this._socket !== socket) return;
      this._lastHeard = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        this._connectionError({ code: 'bad_frame', message: 'the server sent a frame that is not JSON' });
        return;
      }
      this._receive(frame);
    };
    socket.onclose = (event) => this._lost(socket, event.code, event.reason);
    // A failed connection: browsers follow with a close event, but some WebSocket classes (Node 20's)
    // never do, so the connection is given up here; a close event after this one is ignored.
    socket.onerror = () => this._abandon(socket, 'connection failed');
  }

  /** Pings every pingInterval; a connection that has not answered for two of them is given up. */
  _heartbeat(socket) {
    const interval = this.options.pingInterval;
    const tick = () => {
      if (this._socket !== socket) return;
      if (Date.now() - this._lastHeard > 2 * interval) {
        this._abandon(socket, 'no frame from the server for ' + 2 * interval + ' ms');
        return;
      }
      this._send({ type: 'ping' });
      this._after(interval, tick);
    };
    this._after(interval, tick);
  }

  _ready(frame) {
    if (frame.expiresAt !== undefined) this.expiresAt = frame.expiresAt;
    if (Array.isArray(frame.features)) this.features = new Set(frame.features);
    this._attempt = 0;
    this._scheduleRefresh();
    const first = !this._subscribed;
    this._subscribed = true;
    if (first) {
      for (const live of this._queries) this._subscribeOnSocket(live);
      for (const channel of this._channels.values()) this._joinOnSocket(channel);
      this._setState('ready', {});
      if (this.options.onOpen) this.options.onOpen();
    }
  }

  /** Asks getToken for a fresh token ahead of expiry, so the connection never reaches its token's exp. */
  _scheduleRefresh() {
    clearTimeout(this._refreshTimer);
    if (!this.options.getToken || this.expiresAt === undefined) return;
    const left = this.expiresAt - Date.now();
    const delay = Math.max(0, left - Math.min(this.options.refreshMargin, left / 2));
    const socket = this._socket;
    this._refreshTimer = this._after(delay, () => {
      if (this._socket !== socket) return;
      this.refreshToken().catch((e) => {
        this._connectionError({ code: 'token_source', message: 'getToken failed: ' + (e && e.message ? e.message : e) });
        if (this._socket === socket && this.expiresAt > Date.now()) {
          this._refreshTimer = this._after(Math.min(this.options.initialDelay, (this.expiresAt - Date.now()) / 2), () => this._scheduleRefresh());
        }
      });
    });
  }

  /** The socket closed (or was given up): decide between reconnecting and ending. */
  _lost(socket, code, reason) {
    if (this._socket !== socket) return;
    this._dropSocket();
    if (this.options.onClose) this.options.onClose(code, reason);
    if (this._closed) return;
    for (const live of this._queries) {
      if (live.status === 'live' || live.status === 'loading') live._set('reconnecting', undefined);
    }
    for (const channel of this._channels.values()) {
      if (channel.status === 'joined' || channel.status === 'joining') channel._set('reconnecting', undefined);
    }
    const tokenCannotChange = !this.options.getToken && this._token === this._socketToken;
    if (FATAL_CLOSE_CODES.has(code) || (code === UNAUTHENTICATED_CLOSE && tokenCannotChange)) {
      this._closed = true;
      this._end(code, reason, undefined);
      return;
    }
    if (code === SLOW_CONSUMER_CLOSE) this._attempt = Math.max(this._attempt, SLOW_CONSUMER_FIRST_ATTEMPT);
    this._retry(code, reason);
  }

  /** Gives a failing socket up (as a 1006 close) before closing it, so its own late events are ignored. */
  _abandon(socket, reason) {
    if (this._socket !== socket) return;
    this._lost(socket, 1006, reason);
    try { socket.close(); } catch (e) { /* a socket still connecting, or dead, may refuse to close */ }
  }

  _retry(code, reason) {
    const retryIn = backoffDelay(this._attempt, this.options);
    this._attempt++;
    this._setState('reconnecting', { closeCode: code, closeReason: reason, attempt: this._attempt, retryIn });
    this._after(retryIn, () => this._connect());
  }

  _dropSocket() {
    const socket = this._socket;
    this._socket = undefined;
    this._subscribed = false;
    for (const timer of this._timers) clearTimeout(timer);
    this._timers.clear();
    this._byWireId.clear();
    for (const request of this._channelRequests.values()) {
      if (request.reject) request.reject({ code: 'disconnected', message: 'the connection closed before the server answered' });
    }
    this._channelRequests.clear();
    if (socket) socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
  }

  _end(code, reason, error) {
    for (const live of this._queries) {
      clearTimeout(live._retryTimer);
      if (live.status !== 'error') live._set('closed', undefined);
    }
    for (const channel of this._channels.values()) {
      clearTimeout(channel._retryTimer);
      if (channel.status !== 'error') channel._left('client closed');
    }
    this._setState('closed', { closeCode: code, closeReason: reason, error });
  }

  _setState(state, details) {
    this.state = state;
    this.closeCode = details.closeCode;
    this.closeReason = details.closeReason;
    const status = { state, ...details };
    if (this.options.onStateChange) this.options.onStateChange(status);
    for (const listener of this._stateListeners) listener(status);
  }

  _after(ms, fn) {
    const timer = setTimeout(() => {
      this._timers.delete(timer);
      fn();
    }, ms);
    this._timers.add(timer);
    return timer;
  }

  _newId(prefix) {
    return prefix + this._nextId++;
  }

  _send(frame) {
    const socket = this._socket;
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  _connectionError(error) {
    if (this.options.onError) this.options.onError(error);
  }

  // ---- live queries ----

  /** Subscribes on the current connection under a fresh id, so late frames of an earlier attempt are never mistaken for this one's. */
  _subscribeOnSocket(live) {
    if (live._wireId !== undefined) this._byWireId.delete(live._wireId);
    live._wireId = this._newId('q');
    this._byWireId.set(live._wireId, live);
    const frame = { ...live.query, type: 'subscribe', id: live._wireId };
    if (live.position !== undefined && this.features.has('resume')) frame.after = live.position;
    this._send(frame);
  }

  _unsubscribe(live) {
    if (!this._queries.delete(live)) return;
    clearTimeout(live._retryTimer);
    if (live._wireId !== undefined && this._byWireId.delete(live._wireId)) {
      this._send({ type: 'unsubscribe', id: live._wireId });
    }
    live._set('closed', undefined);
  }

  _queryFailed(live, frame) {
    this._byWireId.delete(live._wireId);
    live._failed(frame);
    if (!RETRIABLE_QUERY_ERRORS.has(frame.code)) return;
    const delay = backoffDelay(live._retries++, this.options);
    const socket = this._socket;
    live._retryTimer = this._after(delay, () => {
      if (this._socket === socket && this._queries.has(live)) this._subscribeOnSocket(live);
    });
  }

  // ---- channels ----

  _joinOnSocket(channel) {
    channel._wireId = this._newId('j');
    this._channelRequests.set(channel._wireId, { channel });
    channel._set('joining', undefined);
    this._send({ type: 'join', id: channel._wireId, channel: channel.name });
  }

  _publish(channel, data) {
    if (channel.status !== 'joined' || this._channels.get(channel.name) !== channel) {
      return Promise.reject({ code: 'not_joined', message: 'channel ' + channel.name + ' is ' + channel.status + ', not joined' });
    }
    return new Promise((resolve, reject) => {
      const id = this._newId('m');
      this._channelRequests.set(id, { channel, resolve, reject });
      this._send({ type: 'publish', id, channel: channel.name, data });
    });
  }

  _leave(channel) {
    if (this._channels.get(channel.name) !== channel) return;
    this._channels.delete(channel.name);
    clearTimeout(channel._retryTimer);
    if (this.state === 'ready' && (channel.status === 'joined' || channel.status === 'joining')) {
      this._send({ type: 'leave', id: this._newId('l'), channel: channel.name });
    }
    channel._left(undefined);
  }

  /** Frames of channels; true when the frame was one. */
  _receiveChannel(frame) {
    const request = frame.id === undefined ? undefined : this._channelRequests.get(frame.id);
    const channel = this._channels.get(frame.channel);
    switch (frame.type) {
      case 'joined':
        this._channelRequests.delete(frame.id);
        if (request && this._channels.get(request.channel.name) === request.channel) request.channel._joined(frame);
        return true;
      case 'presence':
        if (channel && channel.status === 'joined') channel._presence(frame);
        return true;
      case 'message':
        if (channel && channel.status === 'joined') channel._message(frame);
        return true;
      case 'published':
        this._channelRequests.delete(frame.id);
        if (request && request.resolve) request.resolve();
        return true;
      case 'left':
        // our own leave's answer (the channel is already gone), or the server took us out: with code
        // 'forbidden' when the channel rule no longer lets us in (e.g. our membership was deleted)
        if (frame.id === undefined && channel) {
          this._channels.delete(channel.name);
          channel._left(frame.reason, frame.code);
        }
        return true;
      case 'error':
        if (!request) return false;
        this._channelRequests.delete(frame.id);
        if (request.reject) {
          request.reject({ code: frame.code, message: frame.message });
        } else if (this._channels.get(request.channel.name) === request.channel) {
          this._joinFailed(request.channel, frame);
        }
        return true;
      default:
        return false;
    }
  }

  _joinFailed(channel, frame) {
    channel._failed(frame);
    if (!RETRIABLE_QUERY_ERRORS.has(frame.code)) return;
    const delay = backoffDelay(channel._retries++, this.options);
    const socket = this._socket;
    channel._retryTimer = this._after(delay, () => {
      if (this._socket === socket && this._channels.get(channel.name) === channel) this._joinOnSocket(channel);
    });
  }

  _authFailed(frame) {
    this._connectionError(frame);
    if (this._subscribed) return; // a refresh was refused; the connection lives until its token's exp
    const socket = this._socket;
    if (this.options.getToken) {
      this._dropSocket();
      socket.close(1000, 'token refused');
      this._retry(UNAUTHENTICATED_CLOSE, frame.message);
    } else {
      this._closed = true;
      this._dropSocket();
      socket.close(1000, 'token refused');
      this._end(UNAUTHENTICATED_CLOSE, frame.message, frame);
    }
  }

  _receive(frame) {
    if (frame.type === 'ready') {
      this._ready(frame);
      return;
    }
    if (frame.type === 'pong' || frame.type === 'unsubscribed') return;
    if (frame.type === 'error' && frame.id !== undefined && frame.id === this._authId) {
      this._authFailed(frame);
      return;
    }
    if (this._receiveChannel(frame)) return;
    const live = frame.id === undefined ? undefined : this._byWireId.get(frame.id);
    switch (frame.type) {
      case 'snapshot': if (live) live._snapshot(frame); break;
      case 'changes': if (live) live._changes(frame); break;
      case 'resumed': if (live) live._resumed(frame); break;
      case 'reset': if (live) live._reset(frame); break;
      case 'error':
        if (live) this._queryFailed(live, frame);
        else this._connectionError(frame);
        break;
      default:
        if (this.options.onFrame) this.options.onFrame(frame);
    }
  }
}
