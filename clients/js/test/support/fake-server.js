import { until } from './until.js';

/**
 * An in-memory stand-in for the server, for unit tests of the client's own logic (what it sends,
 * how it applies frames, when it reconnects). Pass `server.WebSocket` as the client's WebSocket
 * option; every socket the client opens shows up in `server.sockets`, and the test plays the
 * server's side: accept, answer frames, drop the connection.
 */
export class FakeServer {
  constructor() {
    this.sockets = [];
    const server = this;
    this.WebSocket = class FakeWebSocket {
      constructor(url) {
        this.url = url;
        this.readyState = 0;
        this.sent = [];
        this.sentAt = []; // when each frame of `sent` was sent, ms since 1970
        server.sockets.push(this);
      }

      send(text) {
        if (this.readyState !== 1) throw new Error('send on a socket that is not open');
        this.sentAt.push(Date.now());
        this.sent.push(JSON.parse(text));
      }

      close(code, reason) {
        if (this.readyState === 3) return;
        this.readyState = 3;
        this.closedByClient = { code, reason };
        queueMicrotask(() => this.onclose && this.onclose({ code: code ?? 1005, reason: reason ?? '' }));
      }
    };
  }

  /** Waits for the client's n-th socket (1-based) and accepts it. */
  async accept(n) {
    const socket = await until(() => this.sockets[n - 1], `connection ${n}`);
    socket.readyState = 1;
    socket.onopen();
    return socket;
  }

  /** Waits for the first frame on `socket` after the first `from` frames that matches `predicate`. */
  async received(socket, predicate, from = 0) {
    return until(() => socket.sent.slice(from).find(predicate), 'a matching frame from the client');
  }

  push(socket, frame) {
    socket.onmessage({ data: JSON.stringify(frame) });
  }

  /** The connection fails with an error event and no close event, as Node 20's WebSocket does. */
  fail(socket) {
    socket.onerror && socket.onerror({ type: 'error' });
  }

  /** The connection ends from the server's side (or the network's). */
  drop(socket, code = 1006, reason = '') {
    socket.readyState = 3;
    socket.onclose && socket.onclose({ code, reason });
  }
}
