// Holds each `mode: ingress` published port on 0.0.0.0 (as kube-proxy holds NodePorts): reserves it
// against other processes, finds out when one already has it (port-in-use: the port is then left out
// of this node's rules), and relays what reaches the socket, i.e. loopback, which the kernel rules
// cannot DNAT out, to the service address (the kernel path). Connections the rules DNAT never get here.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface HeldPort {
  readonly published: number;
  readonly vip: string;
  readonly target: number;
}

export type PortHoldState = { readonly state: 'held' } | { readonly state: 'port-in-use'; readonly error: string } | { readonly state: 'error'; readonly error: string };

interface Holder {
  want: HeldPort;
  server?: Server;
  state: PortHoldState;
}

export class PortHolders {
  private readonly holders = new Map<number, Holder>();

  constructor(private readonly host = '0.0.0.0') {}

  /**
   * Holds exactly `wanted` (by published port): opens new ones, closes gone ones, retries those
   * another process held, and updates where a held port relays to. Resolves once every listen settled.
   */
  async sync(wanted: readonly HeldPort[]): Promise<void> {
    const byPort = new Map(wanted.map((w) => [w.published, w]));
    for (const [port, h] of this.holders) {
      if (byPort.has(port)) continue;
      h.server?.close();
      this.holders.delete(port);
    }
    const opening: Promise<void>[] = [];
    for (const w of byPort.values()) {
      const h = this.holders.get(w.published);
      if (h) h.want = w;
      if (h?.state.state === 'held') continue;
      const holder: Holder = h ?? { want: w, state: { state: 'error', error: 'not yet listening' } };
      this.holders.set(w.published, holder);
      opening.push(this.listen(holder));
    }
    await Promise.all(opening);
  }

  state(published: number): PortHoldState | undefined {
    return this.holders.get(published)?.state;
  }

  /** Published ports another process holds. */
  inUse(): Set<number> {
    return new Set([...this.holders].filter(([, h]) => h.state.state === 'port-in-use').map(([p]) => p));
  }

  close(): void {
    for (const h of this.holders.values()) h.server?.close();
    this.holders.clear();
  }

  private listen(h: Holder): Promise<void> {
    return new Promise((resolve) => {
      const server = createServer((client) => this.relay(h, client));
      server.once('error', (err: NodeJS.ErrnoException) => {
        h.server = undefined;
        h.state = err.code === 'EADDRINUSE' ? { state: 'port-in-use', error: `port ${h.want.published} is held by another process` } : { state: 'error', error: `listen on ${h.want.published}: ${err.message}` };
        resolve();
      });
      server.listen({ port: h.want.published, host: this.host, exclusive: true }, () => {
        h.server = server;
        h.state = { state: 'held' };
        resolve();
      });
    });
  }

  private relay(h: Holder, client: Socket): void {
    const upstream = connect(h.want.target, h.want.vip);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
