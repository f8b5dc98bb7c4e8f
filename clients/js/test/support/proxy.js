import net from 'node:net';

/**
 * A TCP proxy in front of the server, so a test can cut the network under a client: `drop()` ends
 * every connection through it abruptly (the client sees 1006), `refuse(true)` resets new ones as
 * soon as they arrive, as a server that is down would.
 */
export class TcpProxy {
  static async start(targetPort) {
    const proxy = new TcpProxy(targetPort);
    await new Promise((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  constructor(targetPort) {
    this.connections = new Set();
    this.refusing = false;
    this.attempts = 0;
    this.server = net.createServer((client) => {
      this.attempts++;
      if (this.refusing) {
        client.resetAndDestroy();
        return;
      }
      const upstream = net.connect(targetPort, '127.0.0.1');
      for (const [a, b] of [[client, upstream], [upstream, client]]) {
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => b.destroy());
        this.connections.add(a);
        a.on('close', () => this.connections.delete(a));
      }
    });
  }

  get port() {
    return this.server.address().port;
  }

  refuse(refusing) {
    this.refusing = refusing;
  }

  drop() {
    for (const socket of this.connections) socket.destroy();
  }

  close() {
    this.drop();
    return new Promise((resolve) => this.server.close(resolve));
  }
}
