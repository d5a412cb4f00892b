// Baton's version and wire protocol revision, sent in the agent handshake.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './grpc/load.js';

// 2: restart policy and healthcheck as messages, states as enums, argv and limits with presence.
export const PROTOCOL_VERSION = 2;

export const BATON_VERSION: string = (
  JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
).version;
