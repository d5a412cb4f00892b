// Entry of dist/agent-csr.mjs: reads {"keyPem", "commonName"} on stdin, prints the request's PEM.
import { createCsr } from './csr.js';

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => (input += d));
process.stdin.on('end', () => {
  const { keyPem, commonName } = JSON.parse(input) as { keyPem: string; commonName: string };
  createCsr(keyPem, commonName).then(
    (pem) => process.stdout.write(pem),
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    },
  );
});
