// checkRequest on every single-bit corruption of a real certificate request: each is an answer
// (accepted only if its signature still verifies, else refused naming csr_pem), never a throw.
// A flipped bit in the key's curve parameters used to throw past the parse (found by the fuzz:
// Join answered INTERNAL).
import t from 'tap';
import { generateKeyPairSync } from 'node:crypto';
import { createCsr } from '../../agent/security/csr.js';
import { checkRequest } from '../../coordinator/security/pki.js';

t.test('every single-bit corruption of a request is answered, never thrown', async (t) => {
  const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const pem = await createCsr(key, 'node-1');
  t.ok((await checkRequest(pem)).ok, 'the request itself is accepted');
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const thrown: string[] = [];
  let refused = 0;
  for (let bit = 0; bit < der.length * 8; bit++) {
    const d = Buffer.from(der);
    d[bit >> 3]! ^= 1 << (bit & 7);
    const flipped = `-----BEGIN CERTIFICATE REQUEST-----\n${d.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    try {
      const r = await checkRequest(flipped);
      if (!r.ok) {
        refused++;
        if (!r.error.startsWith('csr_pem: ')) thrown.push(`bit ${bit}: refusal does not name csr_pem: ${r.error}`);
      }
    } catch (err) {
      thrown.push(`bit ${bit}: ${(err as Error).message}`);
    }
  }
  t.same(thrown, [], 'no corruption throws');
  t.ok(refused > der.length * 8 * 0.9, `nearly all are refused (${refused} of ${der.length * 8})`);
});
