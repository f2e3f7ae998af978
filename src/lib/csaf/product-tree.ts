// The parts of a Red Hat CSAF product tree that matching needs: platforms (with their CPE,
// mapped to a release key) and components (with their purl: name, version, arch, module).
import { InvalidError } from '../../core/errors.js';

type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Component {
  readonly name: string;
  /** `epoch:version-release`, or undefined for a component named without a version (unfixed). */
  readonly version: string | undefined;
  readonly arch: string | undefined;
  /** `name:stream` from the purl's `rpmmod` qualifier. */
  readonly module: string | undefined;
}

export interface ProductTree {
  /** Platform product id → release key (`rhel:9`). */
  readonly platforms: Map<string, string>;
  /** Component product id → component. */
  readonly components: Map<string, Component>;
  /** Full product id (`platform:component`) → [platform id, component id]. */
  readonly relationships: Map<string, readonly [string, string]>;
}

/**
 * The release key of a Red Hat CPE, or undefined for products Vigil does not match.
 *
 * @example
 * cpeRelease('cpe:/o:redhat:enterprise_linux:9::baseos'); // 'rhel:9'
 * cpeRelease('cpe:/a:redhat:rhel_eus:9.2::appstream'); // 'rhel-eus:9.2'
 */
export function cpeRelease(cpe: string): string | undefined {
  const m = /^cpe:\/[ao]:redhat:(enterprise_linux|rhel_[a-z0-9_]+):(\d+(?:\.\d+)?)/.exec(cpe);
  if (!m) return undefined;
  const stream = m[1] === 'enterprise_linux' ? 'rhel' : `rhel-${(m[1] as string).slice(5).replace(/_/g, '-')}`;
  return `${stream}:${stream === 'rhel' ? (m[2] as string).split('.')[0] : m[2]}`;
}

/**
 * Parses an rpm purl (`pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1`).
 *
 * @example
 * parseRpmPurl('pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1'); // { name: 'openssl-libs', version: '1:3.0.7-27.el9', arch: 'x86_64', module: undefined }
 */
export function parseRpmPurl(purl: string): Component | undefined {
  const m = /^pkg:rpm\/[^/]+\/([^@?#]+)(?:@([^?#]+))?(?:\?([^#]*))?/.exec(purl);
  if (!m) return undefined;
  const q = new URLSearchParams(m[3] ?? '');
  const version = m[2] === undefined ? undefined : `${q.get('epoch') ?? '0'}:${decodeURIComponent(m[2])}`;
  const mod = q.get('rpmmod')?.split(':');
  return {
    name: decodeURIComponent(m[1] as string),
    version,
    arch: q.get('arch') ?? undefined,
    module: mod && mod.length >= 2 ? `${mod[0]}:${mod[1]}` : undefined,
  };
}

function walkBranches(branches: unknown, tree: ProductTree, depth: number): void {
  if (!Array.isArray(branches)) return;
  if (depth > 16) throw new InvalidError('CSAF document: product_tree branches nested deeper than 16');
  for (const b of branches) {
    if (!isObject(b)) continue;
    const product = isObject(b.product) ? b.product : undefined;
    const id = product && typeof product.product_id === 'string' ? product.product_id : undefined;
    const helper = product && isObject(product.product_identification_helper) ? product.product_identification_helper : undefined;
    if (id && helper) {
      if (typeof helper.cpe === 'string') {
        const release = cpeRelease(helper.cpe);
        if (release) tree.platforms.set(id, release);
      } else if (typeof helper.purl === 'string') {
        const c = parseRpmPurl(helper.purl);
        if (c) tree.components.set(id, c);
      }
    }
    walkBranches(b.branches, tree, depth + 1);
  }
}

/**
 * Reads a CSAF `product_tree`.
 *
 * @example
 * const tree = readProductTree(doc.product_tree);
 */
export function readProductTree(pt: unknown): ProductTree {
  if (!isObject(pt)) throw new InvalidError('CSAF document: product_tree is not an object');
  const tree: ProductTree = { platforms: new Map(), components: new Map(), relationships: new Map() };
  walkBranches(pt.branches, tree, 0);
  if (Array.isArray(pt.relationships)) {
    for (const r of pt.relationships) {
      if (!isObject(r) || !isObject(r.full_product_name)) continue;
      const full = r.full_product_name.product_id;
      if (typeof full === 'string' && typeof r.relates_to_product_reference === 'string' && typeof r.product_reference === 'string') {
        tree.relationships.set(full, [r.relates_to_product_reference, r.product_reference]);
      }
    }
  }
  return tree;
}
