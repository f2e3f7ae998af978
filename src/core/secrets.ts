// Random bearer secrets (session cookies, API tokens) and their stored digests.
// Only the SHA-256 digest is stored: the secrets are 256-bit random, so no slow hash is needed.
import { createHash, randomBytes } from 'node:crypto';

export const newSecret = (): string => randomBytes(32).toString('base64url');
export const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Bearer token text `<kind>_<8-char prefix>_<secret>`: `vgl` for API tokens, `vgr` for report
 *  enrolment tokens. The prefix identifies a token in lists and logs. */
export function newPrefixedToken(kind: 'vgl' | 'vgr'): { token: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  return { token: `${kind}_${prefix}_${newSecret()}`, prefix };
}
