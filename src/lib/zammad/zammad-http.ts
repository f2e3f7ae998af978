// The HTTP side of the Zammad client: one JSON request with the token header, a time limit on
// headers and body together, a cap on the bytes read, and errors that never hold the token.
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { checkJsonDepth } from '../json-depth/index.js';

/** An exchange with Zammad that failed: `status` is the HTTP status, or undefined when no answer came. */
export class ZammadRequestError extends Error {
  readonly status: number | undefined;
  /** The start of the answer's body, whitespace collapsed, the token blanked out. */
  readonly body: string;

  constructor(message: string, status?: number, body = '') {
    super(message);
    this.name = 'ZammadRequestError';
    this.status = status;
    this.body = body;
  }
}

const MAX_RESPONSE_BYTES = 1024 * 1024;
/** How much of a failed answer is read, and how much of it an error keeps. */
const ERROR_READ_BYTES = 4096;
const ERROR_EXCERPT_CHARS = 300;
const MAX_JSON_DEPTH = 32;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Sends one request to Zammad and answers its parsed JSON. */
export type ZammadCall = (method: 'GET' | 'POST', path: string, payload?: object) => Promise<unknown>;

/**
 * A `call` for one Zammad instance. A non-2xx answer, no answer within `timeoutMs`, a redirect or
 * a network failure throws `ZammadRequestError`; an answer over 1 MiB `TooLargeError`; one that
 * is not JSON `InvalidError`.
 *
 * @example
 * const call = createZammadCall('https://helpdesk.ggus.eu', token, 15_000, fetch);
 * await call('GET', '/api/v1/tickets/7?expand=true'); // { id: 7, state: 'assigned', … }
 */
export function createZammadCall(baseUrl: string, token: string, timeoutMs: number, fetchImpl: typeof fetch): ZammadCall {
  const base = checkBaseUrl(baseUrl);
  return async function call(method: 'GET' | 'POST', path: string, payload?: object): Promise<unknown> {
    const what = `Zammad ${method} ${path}`;
    const signal = AbortSignal.timeout(timeoutMs);
    const timedOut = abortOf(signal);
    try {
      const answer = fetchImpl(base + path, {
        method,
        signal,
        // A redirect would carry the token somewhere we did not choose; the API has no reason to send one.
        redirect: 'error',
        headers: {
          authorization: `Token token=${token}`,
          accept: 'application/json',
          ...(payload && { 'content-type': 'application/json' }),
        },
        body: payload && JSON.stringify(payload),
      });
      // An answer that comes after we gave up is not left holding its connection.
      answer
        .then((late) => {
          if (signal.aborted) void late.body?.cancel().catch(() => {});
        })
        .catch(() => {});
      const res = await Promise.race([answer, timedOut.promise]);
      if (res.status < 200 || res.status > 299) {
        const { bytes } = await readBody(res, ERROR_READ_BYTES, timedOut.promise);
        const body = excerpt(bytes, token);
        throw new ZammadRequestError(`${what} answered ${res.status}${body && `: ${body}`}`, res.status, body);
      }
      return parseJson(res, await readBody(res, MAX_RESPONSE_BYTES, timedOut.promise), what);
    } catch (err) {
      if (err instanceof ZammadRequestError || err instanceof InvalidError || err instanceof TooLargeError) throw err;
      if (signal.aborted) throw new ZammadRequestError(`${what}: no complete answer within ${timeoutMs} ms`);
      // undici says "fetch failed" and puts the reason (refused, reset, redirect) in `cause`.
      const reason = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
      throw new ZammadRequestError(`${what} failed: ${reason.replaceAll(token, '[token]')}`);
    } finally {
      timedOut.release();
    }
  };
}

/** The base URL without its trailing slashes; https only, but for this machine, as the token rides in a header. */
function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidError('Zammad baseUrl is not a URL', { field: 'baseUrl' });
  }
  const local = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if ((url.protocol !== 'https:' && !local) || url.username || url.password || url.search || url.hash) {
    throw new InvalidError('Zammad baseUrl must be https (http only to this machine), without credentials, query or fragment', { field: 'baseUrl' });
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * A promise that rejects when `signal` aborts. Node 20's fetch follows the signal it is given
 * through a weak reference that a garbage collection can drop (nodejs/node#55428), after which
 * the timeout no longer ends a stalled answer; racing every await against this one keeps it.
 */
function abortOf(signal: AbortSignal): { promise: Promise<never>; release: () => void } {
  let fail = () => {};
  const promise = new Promise<never>((_, reject) => {
    fail = () => reject(signal.reason);
    signal.addEventListener('abort', fail, { once: true });
  });
  promise.catch(() => {}); // a race that never lost to it must not leave an unhandled rejection
  return { promise, release: () => signal.removeEventListener('abort', fail) };
}

/** Up to `max` bytes of the body; `over` when more were on offer (the rest is left unread). */
async function readBody(res: Response, max: number, timedOut: Promise<never>): Promise<{ bytes: Uint8Array; over: boolean }> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (!res.body || declared > max) {
    res.body?.cancel().catch(() => {});
    return { bytes: new Uint8Array(0), over: declared > max };
  }
  const reader = res.body.getReader();
  const bytes = new Uint8Array(max);
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timedOut]);
      if (done) return { bytes: bytes.subarray(0, size), over: false };
      if (size + value.byteLength > max) {
        bytes.set(value.subarray(0, max - size), size);
        return { bytes, over: true };
      }
      bytes.set(value, size);
      size += value.byteLength;
    }
  } finally {
    // Ends the connection when we stop early (over the limit, timed out); a no-op once read to the end.
    reader.cancel().catch(() => {});
  }
}

function parseJson(res: Response, read: { bytes: Uint8Array; over: boolean }, what: string): unknown {
  if (read.over) throw new TooLargeError(`${what}: answer over ${MAX_RESPONSE_BYTES} bytes`, { maxBytes: MAX_RESPONSE_BYTES });
  const type = res.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new InvalidError(`${what}: answer is ${JSON.stringify(type.slice(0, 60))}, not application/json`);
  let textBody: string;
  try {
    textBody = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    throw new InvalidError(`${what}: answer is not UTF-8`);
  }
  checkJsonDepth(textBody, MAX_JSON_DEPTH);
  try {
    return JSON.parse(textBody);
  } catch {
    throw new InvalidError(`${what}: answer is malformed JSON`);
  }
}

/** One line for an error message; a server that echoes headers back does not get the token into it. */
function excerpt(bytes: Uint8Array, token: string): string {
  const line = new TextDecoder().decode(bytes).replaceAll(token, '[token]').replace(/\s+/g, ' ').trim();
  return line.length > ERROR_EXCERPT_CHARS ? `${line.slice(0, ERROR_EXCERPT_CHARS)}…` : line;
}
