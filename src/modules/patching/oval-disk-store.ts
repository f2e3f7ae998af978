// Scratch space on disk for reading one OVAL file, so that memory does not grow with the file:
// a temporary SQLite database in os.tmpdir() holding the tests, objects, states and variables
// between the reader's two passes (the `OvalTableStore` of src/lib/oval), and the normalized
// definitions between parsing and the one transaction that stores them, with their CVEs and
// releases for the feed's counts. Nothing in it needs to survive a crash, so it runs without a
// journal or fsync; `close` deletes the file, and the caller calls it in a `finally`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { OvalTableStore, RawObject, RawState, RawTest } from '../../lib/oval/index.js';
import type { Definition } from '../../lib/vuln-model/index.js';

/** One stored definition: its id and its JSON, ready for `feed_definition`. */
export interface SpooledDefinition {
  definitionId: string;
  bodyJson: string;
}

export interface OvalDiskStore extends OvalTableStore {
  /** The temporary directory holding the database file; gone after `close`. */
  readonly dir: string;
  /** Keeps one normalized definition; a later one with the same id replaces it. */
  addDefinition(d: Definition): void;
  /** Definitions added (a repeated id counted each time), distinct CVEs, and the releases. */
  summary(): { definitions: number; cves: number; releases: string[] };
  /** The kept definitions in id order, at most `size` at a time. */
  definitionPages(size: number): Generator<SpooledDefinition[]>;
  /** Closes and deletes the file; safe to call more than once. */
  close(): void;
}

/** Rows written per transaction: one commit per row would make pass 1 crawl. */
const BATCH = 5_000;
/** Entries remembered per table; the cache is emptied when full, so it never grows past this. */
const CACHE = 4_096;

const TABLES = ['test', 'object', 'state', 'variable', 'definition'] as const;

/**
 * Opens a new, empty store in a fresh temporary directory.
 *
 * @example
 * const store = createOvalDiskStore();
 * try {
 *   await parseOval(() => createReadStream(path), { release: 'rhel:9', store, onDefinition: (d) => store.addDefinition(d) });
 *   for (const page of store.definitionPages(500)) await insert(page);
 * } finally {
 *   store.close();
 * }
 */
export function createOvalDiskStore(): OvalDiskStore {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-oval-'));
  let db: SQLite.Database;
  try {
    db = new SQLite(join(dir, 'scratch.db'));
    // Throwaway data: no rollback journal (so no WAL), no fsync, one connection.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    // 4 MiB of page cache at most: the rest stays in the file (and the OS cache); more was no faster.
    db.pragma('cache_size = -4096');
    for (const t of TABLES) db.exec(`create table ${t} (id text primary key, body text not null) without rowid`);
    db.exec('create table cve (id text primary key) without rowid');
    db.exec('create table release_key (id text primary key) without rowid');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const put = Object.fromEntries(TABLES.map((t) => [t, db.prepare(`insert or replace into ${t} (id, body) values (?, ?)`)]));
  const get = Object.fromEntries(TABLES.map((t) => [t, db.prepare(`select body from ${t} where id = ?`).pluck()]));
  const addCve = db.prepare('insert or ignore into cve (id) values (?)');
  const addRelease = db.prepare('insert or ignore into release_key (id) values (?)');
  const begin = db.prepare('begin');
  const commit = db.prepare('commit');
  const page = db.prepare('select id as definitionId, body as bodyJson from definition where id > ? order by id limit ?');

  let pending = 0;
  let added = 0;
  let closed = false;
  /** Counts one written row, opening a transaction first and committing every BATCH rows. */
  const written = () => {
    if (pending === 0) begin.run();
    if (++pending >= BATCH) flush();
  };
  const flush = () => {
    if (pending > 0) commit.run();
    pending = 0;
  };
  const write = (table: (typeof TABLES)[number], id: string, value: unknown) => {
    written();
    // JSON.stringify copies: nothing retains the parsed chunk the strings were cut from.
    put[table]!.run(id, JSON.stringify(value));
  };
  const cached = <T>(table: (typeof TABLES)[number]) => {
    const cache = new Map<string, T | undefined>();
    return (id: string): T | undefined => {
      if (cache.has(id)) return cache.get(id);
      const body = get[table]!.get(id) as string | undefined;
      const value = body === undefined ? undefined : (JSON.parse(body) as T);
      if (cache.size >= CACHE) cache.clear();
      cache.set(id, value);
      return value;
    };
  };

  return {
    dir,
    putTest: (id, test) => write('test', id, test),
    putObject: (id, object) => write('object', id, object),
    putState: (id, state) => write('state', id, state),
    putVariable: (id, values) => write('variable', id, values),
    flush,
    findTest: cached<RawTest>('test'),
    findObject: cached<RawObject>('object'),
    findState: cached<RawState>('state'),
    findVariable: cached<readonly string[]>('variable'),

    addDefinition(d) {
      write('definition', d.id, d);
      added++;
      for (const cve of d.cves) {
        written();
        addCve.run(cve);
      }
      for (const release of new Set(d.affected.map((a) => a.release))) {
        written();
        addRelease.run(release);
      }
    },

    summary() {
      flush();
      return {
        definitions: added,
        cves: db.prepare('select count(*) from cve').pluck().get() as number,
        releases: db.prepare('select id from release_key order by id').pluck().all() as string[],
      };
    },

    *definitionPages(size) {
      flush();
      let after = '';
      for (;;) {
        const rows = page.all(after, size) as SpooledDefinition[];
        if (rows.length > 0) yield rows;
        if (rows.length < size) return;
        after = rows[rows.length - 1]!.definitionId;
      }
    },

    close() {
      if (closed) return;
      closed = true;
      try {
        db.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
