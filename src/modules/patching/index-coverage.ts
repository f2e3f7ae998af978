// Issue 10, item 12: Debian's data (OVAL and OSV) and Ubuntu's OSV name source packages (`tiff`)
// while hosts report binaries (`libtiff6`). Without the release's binary → source index (a
// debian-index feed) only equal names and a few built-in rules match, and binaries named
// otherwise are silently missed; so a feed whose release has no index carries a warning, shown
// on the feed page and printed by the CLI. Ubuntu's OVAL lists each source's binaries itself and
// needs no index.

/** How each such warning starts (the CLI prints these under `vigil feeds list`). */
export const MISSING_INDEX = 'no debian-index feed for';

/** The parts of a feed this check reads. */
export interface CoverageFeed {
  readonly format: string;
  readonly release: string | null;
  readonly releases: readonly string[];
  readonly isEnabled: boolean;
  readonly mappingCount: number;
}

/** Releases whose names this feed's data gives as source packages. */
function sourceNamedReleases(feed: CoverageFeed): string[] {
  if (feed.format === 'debian-index') return [];
  const releases = feed.releases.length > 0 ? feed.releases : feed.release ? [feed.release] : [];
  return releases.filter((r) => r.startsWith('debian:') || (r.startsWith('ubuntu') && feed.format !== 'oval'));
}

/**
 * The warning for each release of `feed` that names source packages and has no enabled
 * debian-index feed with names read, among `all`.
 *
 * @example
 * missingIndexWarnings({ format: 'oval', release: 'debian:12', releases: ['debian:12'], isEnabled: true, mappingCount: 0 }, []);
 * // ['no debian-index feed for debian:12: …']
 */
export function missingIndexWarnings(feed: CoverageFeed, all: readonly CoverageFeed[]): string[] {
  const indexed = new Set(all.filter((f) => f.format === 'debian-index' && f.isEnabled && f.mappingCount > 0 && f.release).map((f) => f.release as string));
  return sourceNamedReleases(feed)
    .filter((r) => !indexed.has(r))
    .map(
      (r) =>
        `${MISSING_INDEX} ${r}: binary packages named unlike their source (libtiff6 from tiff) are matched only by a few built-in rules; add the release's Sources index (vigil feeds add … --format debian-index --release ${r})`,
    );
}

/** `feeds` with the missing-index warnings added to each one's `warnings`. */
export function withIndexWarnings<F extends CoverageFeed & { readonly warnings: string[] }>(feeds: readonly F[], all: readonly CoverageFeed[] = feeds): F[] {
  return feeds.map((f) => {
    const missing = missingIndexWarnings(f, all);
    return missing.length === 0 ? f : { ...f, warnings: [...f.warnings, ...missing] };
  });
}
