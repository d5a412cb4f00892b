// The result type every parser in this package returns (shared/result.ts), and how the Compose
// parser quotes user input in its messages.

export { fail, ok, type Result } from '../result.js';

/** How a user-supplied value is quoted in messages: strings in double quotes, numbers bare. */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(text);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
