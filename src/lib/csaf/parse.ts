// Red Hat CSAF VEX documents (one per CVE) into the normalized form: `fixed` products become
// ranges fixed at the component's version, `known_affected` ones unfixed (or will-not-fix
// when the remediation says `no_fix_planned`); `known_not_affected` is counted and skipped.
import { InvalidError } from '../../core/errors.js';
import { normalizeSeverity } from '../vuln-model/severity.js';
import { createFeedStats, recordSkip } from '../vuln-model/stats.js';
import type { AffectedRange, Definition, FixState, ParsedFeed } from '../vuln-model/types.js';
import { isObject, readProductTree, type ProductTree } from './product-tree.js';

interface Group {
  advisoryId: string | undefined;
  ranges: Map<string, AffectedRange & { arches?: string[] }>;
}

function remediationsOf(v: Record<string, unknown>): Map<string, { advisoryId?: string; fixState: FixState }> {
  const out = new Map<string, { advisoryId?: string; fixState: FixState }>();
  if (!Array.isArray(v.remediations)) return out;
  for (const r of v.remediations) {
    if (!isObject(r) || !Array.isArray(r.product_ids)) continue;
    const url = typeof r.url === 'string' ? r.url : '';
    const advisoryId = /RH[SBE]A-\d{4}:\d+/.exec(url)?.[0];
    const fixState: FixState = r.category === 'no_fix_planned' ? 'wont-fix' : r.category === 'vendor_fix' ? 'fixed' : 'unfixed';
    for (const id of r.product_ids) if (typeof id === 'string') out.set(id, advisoryId ? { advisoryId, fixState } : { fixState });
  }
  return out;
}

function addProduct(
  tree: ProductTree,
  groups: Map<string, Group>,
  fullId: string,
  status: 'fixed' | 'affected',
  remediation: { advisoryId?: string; fixState: FixState } | undefined,
  stats: ParsedFeed['stats'],
): void {
  const rel = tree.relationships.get(fullId);
  const release = rel && tree.platforms.get(rel[0]);
  const component = rel && tree.components.get(rel[1]);
  if (!release || !component) return recordSkip(stats, release === undefined && rel ? 'unsupported-platform' : 'unresolved-product');
  // A fixed source rpm is never installed; unfixed components are named by their source rpm.
  if (status === 'fixed' && component.arch === 'src') return recordSkip(stats, 'source-rpm');
  if (status === 'fixed' && component.version === undefined) return recordSkip(stats, 'fixed-without-version');
  const advisoryId = status === 'fixed' ? remediation?.advisoryId : undefined;
  const groupKey = advisoryId ?? '';
  let g = groups.get(groupKey);
  if (!g) groups.set(groupKey, (g = { advisoryId, ranges: new Map() }));
  const fixState: FixState = status === 'fixed' ? 'fixed' : remediation?.fixState === 'wont-fix' ? 'wont-fix' : 'unfixed';
  const key = [release, component.name, status === 'fixed' ? component.version : '', component.module ?? ''].join('\t');
  const existing = g.ranges.get(key);
  if (existing) {
    if (component.arch && existing.arches && !existing.arches.includes(component.arch)) existing.arches.push(component.arch);
    return;
  }
  g.ranges.set(key, {
    release,
    package: component.name,
    // Red Hat names unfixed components by their source package.
    nameKind: status === 'fixed' ? 'binary' : 'source',
    scheme: 'rpm',
    fixState,
    ...(status === 'fixed' ? { fixed: component.version as string } : {}),
    ...(status === 'fixed' && component.arch && component.arch !== 'noarch' ? { arches: [component.arch] } : {}),
    ...(component.module ? { module: component.module } : {}),
  });
}

/**
 * Reads one CSAF VEX document (already JSON-parsed). Throws `InvalidError` naming the field
 * when the document is not CSAF.
 *
 * @example
 * const feed = parseCsafVex(JSON.parse(text)); feed.definitions[0]?.advisoryId; // 'RHSA-2024:3061'
 */
export function parseCsafVex(doc: unknown): ParsedFeed {
  if (!isObject(doc) || !isObject(doc.document)) throw new InvalidError('CSAF document: $.document is missing');
  const meta = doc.document;
  const tracking = isObject(meta.tracking) ? meta.tracking : {};
  const docId = typeof tracking.id === 'string' ? tracking.id : undefined;
  if (!docId) throw new InvalidError('CSAF document: $.document.tracking.id is not a string');
  if (!Array.isArray(doc.vulnerabilities)) throw new InvalidError('CSAF document: $.vulnerabilities is not an array');
  const tree = readProductTree(doc.product_tree);
  const stats = createFeedStats();
  const agg = isObject(meta.aggregate_severity) && typeof meta.aggregate_severity.text === 'string' ? meta.aggregate_severity.text : undefined;
  const definitions: Definition[] = [];
  doc.vulnerabilities.forEach((v, i) => {
    if (!isObject(v)) throw new InvalidError(`CSAF document: $.vulnerabilities[${i}] is not an object`);
    const cve = typeof v.cve === 'string' ? v.cve : undefined;
    const status = isObject(v.product_status) ? v.product_status : {};
    const remediations = remediationsOf(v);
    const groups = new Map<string, Group>();
    const list = (k: string) => (Array.isArray(status[k]) ? (status[k] as unknown[]).filter((s): s is string => typeof s === 'string') : []);
    for (const id of list('fixed')) addProduct(tree, groups, id, 'fixed', remediations.get(id), stats);
    for (const id of list('known_affected')) addProduct(tree, groups, id, 'affected', remediations.get(id), stats);
    const notAffected = list('known_not_affected').length;
    if (notAffected) recordSkip(stats, 'known-not-affected', notAffected);
    const impact = Array.isArray(v.threats) ? v.threats.find((t) => isObject(t) && t.category === 'impact') : undefined;
    const word = isObject(impact) && typeof impact.details === 'string' ? impact.details : agg;
    for (const g of groups.values()) {
      const affected = [...g.ranges.values()];
      if (affected.length === 0) continue;
      definitions.push({
        id: g.advisoryId ? `${docId}#${g.advisoryId}` : docId,
        format: 'csaf',
        vendor: 'redhat',
        ...(g.advisoryId ? { advisoryId: g.advisoryId } : {}),
        ...(typeof meta.title === 'string' ? { title: meta.title } : {}),
        cves: cve ? [cve] : [],
        severity: normalizeSeverity(word),
        ...(word ? { vendorSeverity: word } : {}),
        affected,
        notes: [],
      });
      stats.definitions++;
      stats.affected += affected.length;
    }
  });
  return { definitions, stats };
}
