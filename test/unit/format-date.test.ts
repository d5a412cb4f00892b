import t from 'tap';
import { toIsoString } from '../../shared/format-date.js';

const native = Date.prototype.toISOString;

t.test('the same string as Date.prototype.toISOString', async (t) => {
  const times = [0, 1, -1, 999, 1000, 1764775623123, Date.now(), 253402300799999, 253402300800000, -62167219200000, -62167219200001, 8.64e15, -8.64e15, -1e14, 1e14];
  for (let i = 0; i < 2000; i++) times.push(Math.round((Math.random() * 2 - 1) * 8.64e15));
  for (const ms of times) {
    const d = new Date(ms);
    t.equal(toIsoString.call(d), native.call(d), String(ms));
  }
});

t.test('an invalid date or a non-Date throws as the built-in', async (t) => {
  t.throws(() => toIsoString.call(new Date(NaN)), RangeError);
  t.throws(() => native.call(new Date(NaN)), RangeError);
  t.throws(() => toIsoString.call({} as Date), TypeError);
});

t.test('JSON of a Date goes through toISOString', async (t) => {
  const d = new Date(1764775623123);
  const saved = Object.getOwnPropertyDescriptor(Date.prototype, 'toISOString')!;
  Object.defineProperty(Date.prototype, 'toISOString', { ...saved, value: toIsoString });
  try {
    t.equal(JSON.stringify({ d }), '{"d":"2025-12-03T15:27:03.123Z"}');
  } finally {
    Object.defineProperty(Date.prototype, 'toISOString', saved);
  }
});
