// How many public uploads (host reports) may be read at once. A body is buffered whole before
// its credential is checked, so without a bound a few hundred slow senders of 8 MB bodies hold
// gigabytes; beyond the bound a sender is told to come back (503, Retry-After) before any byte
// of its body is read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnavailableError } from '../core/errors.js';

export interface UploadSlots {
  /** Adds the hooks to every route of this plugin. */
  guard(app: FastifyInstance): void;
  inUse(): number;
}

/** `max` uploads at once, at most `perAddress` of them from one client address, so one sender
 *  cannot take every slot. */
export function createUploadSlots(max: number, perAddress = Math.max(1, Math.floor(max / 8))): UploadSlots {
  let inUse = 0;
  const byAddress = new Map<string, number>();
  return {
    guard(app) {
      app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
        const address = req.ip;
        const mine = byAddress.get(address) ?? 0;
        if (inUse >= max || mine >= perAddress) throw new UnavailableError(`too many reports are being received at once; try again shortly`, 5);
        inUse++;
        byAddress.set(address, mine + 1);
        // The response's 'close' comes once whatever ends the request: answered, aborted, timed out.
        reply.raw.once('close', () => {
          inUse--;
          const left = (byAddress.get(address) ?? 1) - 1;
          if (left > 0) byAddress.set(address, left);
          else byAddress.delete(address);
        });
      });
    },
    inUse: () => inUse,
  };
}
