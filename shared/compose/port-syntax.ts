// The Compose short port syntax (`"80"`, `"8080:80"`, `"127.0.0.1:8080:80/udp"`, `"8000-8001:80-81"`),
// `expose` entries (`8080`, `"9090/tcp"`, `"3000-3001"`) and the port-number rules shared with the long syntax.

import { isIP } from 'node:net';
import { fail, ok, quote, type Result } from './result.js';
import type { PortSpec } from './types.js';

const SHORT_HINT = 'use "80", "8080:80", "127.0.0.1:8080:80/udp" or a range such as "8000-8001:80-81"';
const RANGE_RE = /^(\d+)(?:-(\d+))?$/;

/** A port number 1..65535 from a YAML number or a digit string. */
export function parsePortNumber(value: string | number, what = ''): Result<number> {
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    return fail(`${what ? `${what} ` : ''}${quote(value)} is not a port number (1-65535)`);
  }
  return ok(n);
}

export function parseProtocol(value: string): Result<'tcp' | 'udp'> {
  const p = value.toLowerCase();
  if (p === 'tcp' || p === 'udp') return ok(p);
  return fail(`protocol ${quote(value)} is not supported (use tcp or udp)`);
}

export function parseHostIp(value: string): Result<string> {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (isIP(bare) === 0) return fail(`host IP ${quote(value)} is not an IPv4 or IPv6 address`);
  return ok(bare);
}

function parseRange(text: string, what: string, whole: string): Result<number[]> {
  const m = RANGE_RE.exec(text);
  if (!m) return fail(`${quote(whole)}: ${what} ${quote(text)} is not a port or port range (${SHORT_HINT})`);
  const start = parsePortNumber(Number(m[1]), what);
  if (!start.ok) return fail(`${quote(whole)}: ${start.error}`);
  const end = m[2] === undefined ? start : parsePortNumber(Number(m[2]), what);
  if (!end.ok) return fail(`${quote(whole)}: ${end.error}`);
  if (end.value < start.value) return fail(`${quote(whole)}: ${what} range ${quote(text)} ends before it starts`);
  const ports: number[] = [];
  for (let p = start.value; p <= end.value; p++) ports.push(p);
  return ok(ports);
}

/** Expands one short-syntax entry into one PortSpec per container port; `mode` is Swarm's default, ingress. */
export function parsePortShort(text: string): Result<PortSpec[]> {
  let rest = text.trim();
  let protocol: 'tcp' | 'udp' = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const p = parseProtocol(rest.slice(slash + 1));
    if (!p.ok) return fail(`${quote(text)}: ${p.error}`);
    protocol = p.value;
    rest = rest.slice(0, slash);
  }

  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') return fail(`${quote(text)} is not a port mapping (${SHORT_HINT})`);
    const ip = parseHostIp(rest.slice(1, close));
    if (!ip.ok) return fail(`${quote(text)}: ${ip.error}`);
    hostIp = ip.value;
    rest = rest.slice(close + 2);
  }

  const parts = rest.split(':');
  let publishedText: string | undefined;
  let targetText: string;
  if (parts.length === 1) {
    targetText = parts[0] ?? '';
  } else if (parts.length === 2) {
    [publishedText, targetText] = parts as [string, string];
  } else if (parts.length === 3 && hostIp === undefined) {
    const ip = parseHostIp(parts[0] ?? '');
    if (!ip.ok) return fail(`${quote(text)}: ${ip.error}`);
    hostIp = ip.value;
    publishedText = parts[1];
    targetText = parts[2] ?? '';
  } else {
    const hint = parts.length > 3 && hostIp === undefined ? 'write an IPv6 host IP in brackets, e.g. "[::1]:8080:80"' : SHORT_HINT;
    return fail(`${quote(text)} is not a port mapping (${hint})`);
  }
  // `127.0.0.1::80` binds the host IP with a port Docker chooses.
  if (publishedText === '') publishedText = undefined;

  const targets = parseRange(targetText, 'container port', text);
  if (!targets.ok) return targets;
  let published: number[] | undefined;
  if (publishedText !== undefined) {
    const r = parseRange(publishedText, 'published port', text);
    if (!r.ok) return r;
    published = r.value;
    // Docker would pick one free host port out of a longer range; Baton needs the host port up front
    // to check for conflicts, so ranges must pair up one to one.
    if (published.length !== targets.value.length) {
      return fail(
        `${quote(text)}: the published range has ${published.length} port(s) but the container range has ${targets.value.length}; they must be the same length`,
      );
    }
  }
  return ok(
    targets.value.map((target, i) => ({
      target,
      ...(published ? { published: published[i] as number } : {}),
      protocol,
      mode: 'ingress' as const,
      ...(hostIp !== undefined ? { hostIp } : {}),
    })),
  );
}

/**
 * One `expose` entry: a port, a digit string, a range, optionally with `/tcp`. Exposed ports are
 * reached at the service address, which carries TCP only, so `/udp` is an error rather than ignored.
 */
export function parseExpose(value: string | number): Result<number[]> {
  if (typeof value === 'number') {
    const n = parsePortNumber(value);
    return n.ok ? ok([n.value]) : n;
  }
  let rest = value.trim();
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const p = parseProtocol(rest.slice(slash + 1));
    if (!p.ok) return fail(`${quote(value)}: ${p.error}`);
    if (p.value === 'udp') return fail(`${quote(value)}: UDP is not supported for expose (the service address carries TCP only)`);
    rest = rest.slice(0, slash);
  }
  const m = RANGE_RE.exec(rest);
  if (!m) return fail(`${quote(value)} is not a port (use 8080, "8080/tcp" or a range such as "3000-3001")`);
  return parseRange(rest, 'port', value);
}
