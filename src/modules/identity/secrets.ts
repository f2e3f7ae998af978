// Random bearer secrets (session cookies, API tokens) and their stored digests.
// Only the SHA-256 digest is stored: the secrets are 256-bit random, so no slow hash is needed.
import { createHash, randomBytes } from 'node:crypto';

export const newSecret = (): string => randomBytes(32).toString('base64url');
export const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** API token text: `vgl_<8-char prefix>_<secret>`; the prefix identifies it in lists and logs. */
export function newApiToken(): { token: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  return { token: `vgl_${prefix}_${newSecret()}`, prefix };
}
