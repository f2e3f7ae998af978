// Feed files uploaded over the API (issue 11, item 5), for a server that cannot reach the
// vendors' sites or a file the CSIRT fetched by hand. A file lands in `uploads/` of the first
// feed directory, so a feed registered from it passes the same place check as any other
// (feed-places.ts). It is written under a hidden temporary name and renamed only when whole:
// a refresh never reads half a file, and a refused upload leaves nothing behind.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../../db/database.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { ConflictError, InvalidError, TooLargeError } from '../../core/errors.js';
import { FEDERATION, requireAccess, type Actor } from '../../core/access.js';
import type { FeedPlaces } from './feed-places.js';

/** 256 MiB: Red Hat's OVAL for one release is ~20 MB as .bz2, ~200 MB unpacked. The whole upload
 *  must also arrive within the server's request timeout (2 minutes): send files compressed. */
export const DEFAULT_FEED_UPLOAD_LIMIT = 256 * 1024 * 1024;

/** A plain file name: no path, not hidden (the temporary files are), the suffix telling the compression. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

export interface UploadOptions {
  /** Replace an earlier upload of this name (a feed may be reading it); refused (409) otherwise. */
  replace?: boolean;
  /** The request's Content-Length: an oversized file is refused before a byte is read. */
  declaredBytes?: number | undefined;
}

export function createFeedUploads({ db, audit, places, maxBytes }: { db: Db; audit: Audit; places: FeedPlaces; maxBytes: number }) {
  const tooLarge = () => new TooLargeError(`a feed file may be at most ${maxBytes} bytes (feedUploadLimit)`, { limit: maxBytes });
  return {
    /** Stores the body as `uploads/<fileName>` and returns its path, the source to register. */
    async upload(actor: Actor, fileName: string, body: Readable, options: UploadOptions = {}): Promise<{ source: string; bytes: number; sha256: string }> {
      await requireAccess(actor, 'feed:manage', FEDERATION);
      if (!FILE_NAME.test(fileName))
        throw new InvalidError('a feed file name is letters, digits, ".", "_" and "-", starting with a letter or digit', { field: 'fileName' });
      if (options.declaredBytes !== undefined && options.declaredBytes > maxBytes) throw tooLarge();
      const root = places.directories[0];
      if (!root) throw new ConflictError('no feed directory is configured (feedDirectories), so an uploaded file has nowhere to go');
      const dir = join(root, 'uploads');
      await mkdir(dir, { recursive: true, mode: 0o750 });
      // A link put in place of uploads/ would send the files elsewhere.
      if (!(await lstat(dir)).isDirectory()) throw new ConflictError(`${dir} is not a directory: uploads are refused until the operator fixes it`);
      const source = join(dir, fileName);
      if (!options.replace && (await exists(source))) throw new ConflictError(`${fileName} was uploaded before: upload it again with replace to replace it`);
      const partial = join(dir, `.${newId()}.partial`);
      const hash = createHash('sha256');
      let bytes = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          if (bytes > maxBytes) return done(tooLarge());
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, counted, createWriteStream(partial, { flags: 'wx', mode: 0o640 }));
        if (bytes === 0) throw new InvalidError('the uploaded file is empty');
        await rename(partial, source);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
      const stored = { source, bytes, sha256: hash.digest('hex') };
      await db.transaction().execute((trx) => audit.record(trx, { actor, action: 'feed.upload', objectType: 'feed-file', objectId: fileName, after: stored }));
      return stored;
    },
  };
}
export type FeedUploads = ReturnType<typeof createFeedUploads>;
