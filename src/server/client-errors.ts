// Requests Node's HTTP parser refuses before Fastify sees them (headers or query string over
// `maxHeaderSize`, a malformed request line, a request that took too long) answer problem+json
// like every other error, instead of Fastify's own JSON shape.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

const BY_CODE: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'the request line and headers are over the size limit (16 KiB); shorten the query string or the headers' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'the request was not received in time' },
};

/**
 * Fastify's `clientErrorHandler`: writes an RFC 9457 problem on the raw socket and closes it.
 *
 * @example
 * Fastify({ clientErrorHandler: problemClientErrorHandler });
 */
export function problemClientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = BY_CODE[err.code ?? ''] ?? { status: 400, detail: 'the request is not valid HTTP' };
  const phrase = STATUS_CODES[status] ?? 'Bad request';
  const title = phrase.charAt(0) + phrase.slice(1).toLowerCase(); // sentence case, as server/errors.ts titles are
  this.log.debug({ err }, `client error ${status}`);
  const body = JSON.stringify({ type: `about:blank#${title.toLowerCase().replace(/ /g, '-')}`, title, status, detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
