// parseGocdb: one GOCDB PI `<results>` document (any mix of methods) to normalised entities;
// nextPageUrl: where the next page of a cursor-paged answer is.
import { InvalidError } from '../../core/errors.js';
import { readRecord, RECORD_ELEMENTS, type RecordOut } from './records.js';
import type { GocdbContact, GocdbInput, GocdbLimits, ParsedGocdb } from './types.js';
import { DEFAULT_LIMITS, readRecords } from './xml-reader.js';

// The same entity may come twice (get_site_list and get_site in one file, a page boundary
// repeated): later values fill in or replace earlier ones, scopes are united.
function merge<T extends object>(map: Map<string, T>, key: string, value: T, extra?: (a: T, b: T) => Partial<T>): void {
  const before = map.get(key);
  map.set(key, before ? { ...before, ...value, ...extra?.(before, value) } : value);
}

const uniteScopes = <T extends { scopes: string[] }>(a: T, b: T): Partial<T> => ({ scopes: [...new Set([...a.scopes, ...b.scopes])] }) as Partial<T>;

function contactId(c: GocdbContact): string {
  const person = c.userKey ?? c.email ?? c.certDn ?? '';
  return [c.entityType, c.entityName.toLowerCase(), person, c.roleName.toLowerCase()].join('\u0000');
}

/**
 * Parses a GOCDB programmatic-interface XML document without trusting it. Understands
 * get_ngi, get_roc_list, get_site, get_site_list, get_service(_endpoint), get_site_contacts,
 * get_roc_contacts, get_user and the `<meta>` of paged answers, mixed freely in one `<results>`.
 * Throws InvalidError (malformed XML, a DOCTYPE, undefined entities, bad UTF-8, truncation) or
 * TooLargeError (over `limits`, see DEFAULT_LIMITS), never a partial result.
 *
 * @example
 *   const parsed = await parseGocdb(createReadStream('get_site.xml'));
 *   parsed.sites[0]; // { key: '119G0', name: 'ALP-UNIBERN-HPC', certificationStatus: 'certified', … }
 */
export async function parseGocdb(input: GocdbInput, limits?: Partial<GocdbLimits>): Promise<ParsedGocdb> {
  const ngis = new Map<string, ParsedGocdb['ngis'][number]>();
  const sites = new Map<string, ParsedGocdb['sites'][number]>();
  const endpoints = new Map<string, ParsedGocdb['endpoints'][number]>();
  const contacts = new Map<string, GocdbContact>();
  const result: ParsedGocdb = { ngis: [], sites: [], endpoints: [], contacts: [], skipped: [], ignoredElements: 0, warnings: [] };

  const out: RecordOut = {
    ngi: (n) => merge(ngis, n.key, n),
    site: (s) => merge(sites, s.key, s, uniteScopes),
    endpoint: (e) => merge(endpoints, e.key, e, uniteScopes),
    contact: (c) => merge(contacts, contactId(c), c),
    skip: (element, reason) => result.skipped.push({ element, reason }),
    warn: (message) => result.warnings.push(message),
    meta: (m) => Object.assign(result, m),
  };
  await readRecords(input, { ...DEFAULT_LIMITS, ...limits }, 'results', {
    wants: (name) => {
      if (RECORD_ELEMENTS.has(name)) return true;
      result.ignoredElements++;
      return false;
    },
    record: (node) => readRecord(node, out),
  });

  result.ngis = [...ngis.values()];
  result.sites = [...sites.values()];
  result.endpoints = [...endpoints.values()];
  result.contacts = [...contacts.values()];
  return result;
}

/**
 * The URL of the next page of a cursor-paged PI answer, or undefined when paging is over: no
 * `next` link, `count` 0, or `count` below `max_page_size` (GOCDB optional_cursor_paging.md).
 * Built from `baseUrl`, never from the document's own href, so a document cannot send the
 * importer to another host; a cursor that does not move also ends paging.
 *
 * @example
 *   nextPageUrl('https://goc.example.org/gocdbpi/public/?method=get_service&next_cursor=0',
 *     { ...parsed, nextCursor: '2201', count: 100, maxPageSize: 100 });
 *   // 'https://goc.example.org/gocdbpi/public/?method=get_service&next_cursor=2201'
 */
export function nextPageUrl(baseUrl: string, parsed: ParsedGocdb): string | undefined {
  const { nextCursor, count, maxPageSize } = parsed;
  if (nextCursor === undefined || count === undefined || count === 0) return undefined;
  if (maxPageSize !== undefined && count < maxPageSize) return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidError(`GOCDB base URL is not a URL: ${baseUrl}`);
  }
  if (url.searchParams.get('next_cursor') === nextCursor) return undefined;
  url.searchParams.delete('prev_cursor');
  url.searchParams.set('next_cursor', nextCursor);
  return url.toString();
}
