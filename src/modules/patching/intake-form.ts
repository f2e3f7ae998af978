// Protocol-4 (Pakiti 2) clients post HTML forms: urlencoded, or multipart from `curl -F`.
import { InvalidError, TooLargeError } from '../../core/errors.js';

const MAX_FIELDS = 64;

export function parseFormBody(body: Buffer, contentType: string | undefined): Record<string, string> {
  const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  return boundary ? parseMultipart(body, boundary) : parseUrlencoded(body.toString('utf8'));
}

function parseUrlencoded(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const params = new URLSearchParams(text);
  let n = 0;
  for (const [k, v] of params) {
    if (++n > MAX_FIELDS) throw new TooLargeError(`more than ${MAX_FIELDS} form fields`);
    out[k] = v;
  }
  return out;
}

function parseMultipart(body: Buffer, boundary: string): Record<string, string> {
  const out: Record<string, string> = {};
  const parts = body.toString('utf8').split(`--${boundary}`);
  if (parts.length > MAX_FIELDS + 2) throw new TooLargeError(`more than ${MAX_FIELDS} form fields`);
  for (const part of parts.slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]+)"/i.exec(part.slice(0, split))?.[1];
    if (!name) throw new InvalidError('a multipart field has no name');
    out[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return out;
}
