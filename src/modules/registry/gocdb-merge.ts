// Merges several parsed GOCDB documents (pages, or one file per PI method) into one batch,
// later records replacing earlier ones with the same key.
import type { GocdbContact, GocdbEndpoint, GocdbNgi, GocdbSite, GocdbSkipped, ParsedGocdb } from '../../lib/gocdb/index.js';

export interface GocdbBatch {
  ngis: GocdbNgi[];
  sites: GocdbSite[];
  endpoints: GocdbEndpoint[];
  contacts: GocdbContact[];
  skipped: GocdbSkipped[];
  warnings: string[];
}

function byKey<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map((i) => [key(i), i])).values()];
}

export function mergeDocuments(docs: ParsedGocdb[]): GocdbBatch {
  return {
    ngis: byKey(
      docs.flatMap((d) => d.ngis),
      (n) => n.key,
    ),
    // get_site_list carries fewer fields than get_site: a fuller record of the same key wins.
    sites: byKey(
      docs.flatMap((d) => d.sites),
      (x) => x.key,
    ),
    endpoints: byKey(
      docs.flatMap((d) => d.endpoints),
      (e) => e.key,
    ),
    contacts: docs.flatMap((d) => d.contacts),
    skipped: docs.flatMap((d) => d.skipped),
    warnings: docs.flatMap((d) => d.warnings),
  };
}
