// Where the server may read feeds from (issue 9, hole 7): only inside the directories and
// under the URL prefixes the operator configured (`feedDirectories`, `feedUrlPrefixes`). A
// source named over the API is checked when it is registered and again at each read, since the
// configuration may have changed; a path is resolved with realpath (no symlink or `..` escape),
// a URL is normalised (WHATWG) and each redirect is checked again.
// Sources the operator names on the command line (`vigil feeds add|import`) are read from
// anywhere: whoever runs the CLI already holds the configuration and the database.
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InvalidError } from '../../core/errors.js';

export interface FeedPlaces {
  /** Absolute directories; a source must resolve (realpath) inside one of them. */
  directories: readonly string[];
  /** http(s) URL prefixes ending in `/`; a source URL must start with one of them. */
  urlPrefixes: readonly string[];
}

/** The operator's own sources (CLI): no restriction. */
export const ANYWHERE = 'anywhere';
export type FeedAccess = FeedPlaces | typeof ANYWHERE;

export const isFeedUrl = (location: string) => /^https?:\/\//i.test(location);

/**
 * The places from the configuration: `feedDirectories` when set, else a `feeds` directory beside
 * the SQLite database (none on PostgreSQL); `feedUrlPrefixes`, none by default.
 */
export function feedPlacesFromConfig(config: {
  feedDirectories?: readonly string[] | undefined;
  feedUrlPrefixes?: readonly string[] | undefined;
  sqlitePath?: string | undefined;
  databaseUrl?: string | undefined;
}): FeedPlaces {
  const beside = config.databaseUrl || !config.sqlitePath || config.sqlitePath === ':memory:' ? [] : [resolve(dirname(config.sqlitePath), 'feeds')];
  return {
    directories: (config.feedDirectories ?? beside).map((d) => resolve(d)),
    urlPrefixes: (config.feedUrlPrefixes ?? []).map((p) => new URL(p).href),
  };
}

function outside(places: FeedPlaces, source: string): InvalidError {
  const dirs = places.directories.length ? places.directories.join(', ') : 'none';
  const urls = places.urlPrefixes.length ? places.urlPrefixes.join(', ') : 'none';
  return new InvalidError(
    `feed source ${source.slice(0, 300)} is outside the places feeds may be read from: directories ${dirs}; URL prefixes ${urls} ` +
      '(the operator sets feedDirectories and feedUrlPrefixes)',
    { allowedDirectories: [...places.directories], allowedUrlPrefixes: [...places.urlPrefixes] },
  );
}

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

const realOrNone = (path: string) => realpath(path).catch(() => undefined);

/**
 * A URL source, normalised, when it lies under a configured prefix; throws InvalidError
 * otherwise. Also used on each redirect target.
 */
export function checkFeedUrl(places: FeedAccess, source: string | URL): URL {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new InvalidError(`feed source ${String(source).slice(0, 300)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidError('a feed URL must be http or https');
  if (url.username || url.password) throw new InvalidError('a feed URL may not carry a user name or password');
  url.hash = '';
  if (places === ANYWHERE) return url;
  // An encoded slash or backslash may be decoded into a path step by the server: refuse it.
  if (/%(2f|5c)/i.test(url.pathname) || !places.urlPrefixes.some((p) => url.href.startsWith(p))) throw outside(places, url.href);
  return url;
}

/**
 * The real path of a file or directory source when it lies inside a configured directory;
 * throws InvalidError otherwise. A path that does not exist (yet) is checked as written when
 * `mustExist` is false (registration); reading needs it to exist.
 */
export async function checkFeedPath(places: FeedAccess, source: string, mustExist: boolean): Promise<string> {
  if (places === ANYWHERE) return source;
  // Checked as written before the file system is touched: nothing is learnt about other places.
  if (!isAbsolute(source) || source.split(/[\\/]/).includes('..') || source.includes('\0')) throw outside(places, source);
  const roots = await Promise.all(places.directories.map(async (d) => ({ given: d, real: await realOrNone(d) })));
  if (!roots.some((r) => within(r.given, source) || (r.real !== undefined && within(r.real, source)))) throw outside(places, source);
  const real = await realOrNone(source);
  if (real === undefined) {
    if (mustExist) throw new InvalidError(`${source}: no such file or directory`);
    return source;
  }
  if (!roots.some((r) => r.real !== undefined && within(r.real, real))) throw outside(places, source);
  return real;
}

/** Checks a source (path or URL) where it is registered; returns what to store. */
export async function checkFeedSource(places: FeedAccess, source: string): Promise<string> {
  if (places === ANYWHERE) return source;
  if (isFeedUrl(source)) return checkFeedUrl(places, source).href;
  await checkFeedPath(places, source, false);
  return source;
}
