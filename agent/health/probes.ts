// Baton's own checks as one attempt each, against a container's address: an HTTP GET whose status
// must fall in a range, or a TCP connect. node:http / node:net only (the agent's memory budget).
// The caller's signal ends an attempt (its timeout); every outcome is a value, never a rejection.
import { request } from 'node:http';
import { connect } from 'node:net';
import type { HealthProbeSpec } from '../../shared/compose/types.js';

export interface ProbeOutcome {
  readonly ok: boolean;
  readonly output: string;
}

export function runProbe(probe: HealthProbeSpec, address: string, signal: AbortSignal): Promise<ProbeOutcome> {
  if (!address) return Promise.resolve({ ok: false, output: 'the container has no IP address to check' });
  return probe.kind === 'http' ? httpProbe(probe, address, signal) : tcpProbe(probe.port, address, signal);
}

function httpProbe(p: Extract<HealthProbeSpec, { kind: 'http' }>, address: string, signal: AbortSignal): Promise<ProbeOutcome> {
  const url = `http://${hostPart(address)}:${p.port}${p.path}`;
  return new Promise((resolve) => {
    const req = request(
      { host: address, port: p.port, path: p.path, method: 'GET', headers: p.host ? { host: p.host } : {}, agent: false, signal },
      (res) => {
        const status = res.statusCode ?? 0;
        // Only the status matters; the body is read away so the socket closes.
        res.resume();
        const ok = status >= p.statusMin && status <= p.statusMax;
        resolve({ ok, output: `GET ${url}: ${status} ${res.statusMessage ?? ''}`.trim() + (ok ? '' : ` (expected ${range(p)})`) });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, output: `GET ${url}: ${failure(err, signal)}` }));
    req.end();
  });
}

function tcpProbe(port: number, address: string, signal: AbortSignal): Promise<ProbeOutcome> {
  const where = `${hostPart(address)}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, output: `connected to ${where}` });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, output: `connect to ${where}: ${failure(err, signal)}` }));
  });
}

function failure(err: NodeJS.ErrnoException, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  return err.code ? `${err.code} (${err.message})` : err.message;
}

function range(p: { statusMin: number; statusMax: number }): string {
  return p.statusMin === p.statusMax ? String(p.statusMin) : `${p.statusMin}-${p.statusMax}`;
}

function hostPart(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
