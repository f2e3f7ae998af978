// How many bytes of public uploads (host reports) may be in flight at once. A body is buffered
// whole before its credential is checked, so without a bound a few hundred slow senders of 8 MB
// bodies hold gigabytes. Each upload reserves what it announces (Content-Length, or the body
// limit when it announces nothing) before any byte is read; beyond the budget, in total or for
// one client address, the sender is told to come back (503, Retry-After). Real reports weigh
// 50-150 KB, so a site reporting from behind one NAT address is not held back.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnavailableError } from '../core/errors.js';

export interface UploadSlots {
  /** Adds the hook to every route of this plugin. */
  guard(app: FastifyInstance): void;
  /** Bytes reserved now. */
  inUse(): number;
}

export interface UploadBudget {
  totalBytes: number;
  perAddressBytes: number;
  /** What an upload without Content-Length reserves: the largest body the route accepts. */
  bodyLimit: number;
}

export function createUploadSlots({ totalBytes, perAddressBytes, bodyLimit }: UploadBudget): UploadSlots {
  let inUse = 0;
  const byAddress = new Map<string, number>();
  return {
    guard(app) {
      app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
        const announced = Number(req.headers['content-length']);
        const cost = Number.isSafeInteger(announced) && announced >= 0 ? Math.min(announced, bodyLimit) : bodyLimit;
        const address = req.ip;
        const mine = byAddress.get(address) ?? 0;
        if (inUse + cost > totalBytes || mine + cost > perAddressBytes) {
          throw new UnavailableError('too many reports are being received at once; try again shortly', 5);
        }
        inUse += cost;
        byAddress.set(address, mine + cost);
        // The response's 'close' comes once whatever ends the request: answered, aborted, timed out.
        reply.raw.once('close', () => {
          inUse -= cost;
          const left = (byAddress.get(address) ?? cost) - cost;
          if (left > 0) byAddress.set(address, left);
          else byAddress.delete(address);
        });
      });
    },
    inUse: () => inUse,
  };
}
