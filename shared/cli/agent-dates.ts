// Imported by the agent's entry (agent-main.ts) right after its V8 flags: for `baton agent` only,
// Date.prototype.toISOString is replaced by the same conversion written with the UTC getters.
// In Node 20's V8, every Date-to-string conversion, the UTC ones included (toISOString, toUTCString,
// toJSON, so JSON.stringify and pino of a Date), first looks up the local time zone's display name,
// which loads ICU's time-zone name tables: about 0.9 MB RSS that stays for the life of the process,
// for a name the ISO form never prints. getUTC* read the time value alone. The agent's own log lines
// ("joined the cluster", "certificate renewed"), grpc-js's reconnect and deadline messages and
// Date values in logged objects all go through toISOString; the output is the same string, and an
// invalid date throws the same RangeError.
import { toIsoString } from '../format-date.js';

if (process.argv[2] === 'agent') {
  Object.defineProperty(Date.prototype, 'toISOString', { value: toIsoString, writable: true, enumerable: false, configurable: true });
}
