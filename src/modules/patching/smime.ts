// Decrypting S/MIME reports (`openssl smime -encrypt -binary -aes-256-cbc -outform DER`, as the
// Pakiti client's --encrypt writes them) with the server's key, through the openssl command.
import { spawn } from 'node:child_process';
import { InvalidError } from '../../core/errors.js';

const TIMEOUT_MS = 30_000;

export function decryptSmime(der: Buffer, keyPath: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['smime', '-decrypt', '-binary', '-inform', 'DER', '-inkey', keyPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new InvalidError(`cannot run openssl to decrypt the report: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new InvalidError(`the encrypted report could not be decrypted with the server key (${err.split('\n')[0]?.slice(0, 200) ?? `exit ${code}`})`));
    });
    child.stdin.on('error', () => undefined); // openssl may exit before reading everything
    child.stdin.end(der);
  });
}
