// Parsing of HOST:PORT arguments shared by the CLI, coordinator and agent.

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port`; port 0 (any free port) only with `allowAnyPort`, for listening., `[v6]:port` or `:port` (host defaults to `defaultHost`). Throws a message naming the input. */
export function parseHostPort(text: string, defaultHost = '127.0.0.1', defaultPort?: number, allowAnyPort = false): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(text.trim());
  const port = m?.[3] !== undefined ? Number(m[3]) : defaultPort;
  if (!m || port === undefined || !Number.isInteger(port) || port < (allowAnyPort ? 0 : 1) || port > 65535) {
    throw new Error(`"${text}" is not HOST:PORT (e.g. 127.0.0.1:7400)`);
  }
  return { host: m[1] ?? (m[2] || defaultHost), port };
}

export function formatHostPort(a: HostPort): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
