// A PKCS#10 certificate request for the node's key, built with @peculiar/x509. Heavy (tens of MB
// with WebCrypto): the bundled agent runs it in a short-lived child process (agent-csr.mjs, see
// csr-child.ts) so its steady-state memory never holds it; unbundled runs load it here.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export async function createCsr(keyPem: string, commonName: string): Promise<string> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const priv = createPrivateKey(keyPem);
  const pkcs8 = priv.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(priv).export({ type: 'spki', format: 'der' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, ALG, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, ALG, true, ['verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${commonName}`,
    keys: { privateKey, publicKey } as unknown as CryptoKeyPair,
    signingAlgorithm: ALG,
  });
  return csr.toString('pem');
}
