// Evaluating an OVAL definition's criteria logic on one host, with OVAL's own rules (5.11,
// as OpenSCAP implements them in oval_resultTest.c): a test collects the installed instances of
// its package names; `check_existence` judges how many exist (none at all: true only for
// none_exist / any_exist, the states are then not looked at); then `check` judges how many of
// them satisfy the states. Criteria combine with AND / OR / ONE / XOR over true / false /
// unknown, `negate` flips true and false. Only definitions whose ranges alone do not decide
// (`Definition.logic`, docs/matching.md) come here, once per package list.
import { rewriteElSuffix } from './el-suffix.js';
import { versionKey } from './compile.js';
import type { Logic, OvalEntity } from '../vuln-model/types.js';
import type { InstalledPackage } from './types.js';

/** true / false / unknown (an error or an entity Vigil cannot judge). */
export type Tri = boolean | null;

/** What a host offers the logic: its instances by name, and the release whose data is used. */
export interface TreeHost {
  readonly feedRelease: string;
  readonly scheme: 'rpm' | 'deb';
  /** RHEL data on a rebuild: versions compared after the el-suffix rewrite. */
  readonly rebuild: boolean;
  /** Installed instances under a name (and, for Debian data, under their source name). */
  readonly byName: ReadonlyMap<string, readonly InstalledPackage[]>;
}

const keyCache = new Map<string, string | null>();
function keyOf(scheme: 'rpm' | 'deb', version: string, rebuild: boolean): string | null {
  const id = `${scheme}${rebuild ? 'r' : ''}\t${version}`;
  let k = keyCache.get(id);
  if (k === undefined) {
    try {
      k = versionKey(scheme, rebuild ? rewriteElSuffix(version) : version);
    } catch {
      k = null;
    }
    if (keyCache.size > 200_000) keyCache.clear();
    keyCache.set(id, k);
  }
  return k;
}

const regexCache = new Map<string, RegExp | null>();
function regex(pattern: string): RegExp | null {
  let r = regexCache.get(pattern);
  if (r === undefined) {
    try {
      r = new RegExp(pattern);
    } catch {
      r = null;
    }
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(pattern, r);
  }
  return r;
}

function compareEntity(e: OvalEntity, value: string): Tri {
  switch (e.op) {
    case 'equals':
      return value === e.value;
    case 'not equal':
      return value !== e.value;
    case 'case insensitive equals':
      return value.toLowerCase() === e.value.toLowerCase();
    case 'pattern match': {
      const r = regex(e.value);
      return r ? r.test(value) : null;
    }
    default:
      return null;
  }
}

function compareEvr(host: TreeHost, e: OvalEntity, version: string): Tri {
  const a = keyOf(host.scheme, version, host.rebuild);
  const b = keyOf(host.scheme, e.value, host.rebuild);
  if (a === null || b === null) return null;
  switch (e.op) {
    case 'less than':
      return a < b;
    case 'less than or equal':
      return a <= b;
    case 'greater than':
      return a > b;
    case 'greater than or equal':
      return a >= b;
    case 'equals':
      return a === b;
    case 'not equal':
      return a !== b;
    default:
      return null;
  }
}

/** The upstream version of an installed version string (`1:3.0.7-24.el9` → `3.0.7`). */
function upstreamOf(version: string): string {
  const colon = version.indexOf(':');
  const dash = version.lastIndexOf('-');
  return version.slice(colon + 1, dash > colon ? dash : undefined);
}

/** Whether one installed instance satisfies a package test's state (AND over its entities). */
export function satisfies(host: TreeHost, leaf: Extract<Logic, { k: 'pkg' }>, pkg: InstalledPackage): Tri {
  let out: Tri = true;
  const and = (r: Tri) => {
    if (r === false) out = false;
    else if (r === null && out !== false) out = null;
  };
  if (leaf.evr) and(compareEvr(host, leaf.evr, pkg.version));
  if (leaf.arch) and(compareEntity(leaf.arch, pkg.arch));
  if (leaf.version) and(compareEntity(leaf.version, upstreamOf(pkg.version)));
  return out;
}

function instances(host: TreeHost, names: readonly string[]): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const n of names) for (const p of host.byName.get(n) ?? []) if (!out.includes(p)) out.push(p);
  return out;
}

/** One package test, as OVAL judges it: existence first, then the check over the items. */
function testResult(host: TreeHost, leaf: Extract<Logic, { k: 'pkg' }>): Tri {
  const items = instances(host, leaf.names);
  if (items.length === 0) {
    // OpenSCAP: no item → true only for none_exist / any_exist; the states are not looked at.
    if (leaf.platformArch) return true;
    return leaf.exist === 'none_exist' || leaf.exist === 'any_exist';
  }
  const n = items.length;
  switch (leaf.exist) {
    case 'none_exist':
      return false;
    case 'only_one_exists':
      if (n !== 1) return false;
      break;
    default:
      break;
  }
  if (!leaf.evr && !leaf.arch && !leaf.version) return true;
  let yes = 0;
  let unknown = 0;
  for (const p of items) {
    const r = satisfies(host, leaf, p);
    if (r === true) yes++;
    else if (r === null) unknown++;
  }
  const no = n - yes - unknown;
  switch (leaf.check) {
    case 'all':
      return no > 0 ? false : unknown > 0 ? null : true;
    case 'at least one':
      return yes > 0 ? true : unknown > 0 ? null : false;
    case 'none satisfy':
      return yes > 0 ? false : unknown > 0 ? null : true;
    case 'only one':
      return yes > 1 ? false : unknown > 0 ? null : yes === 1;
  }
}

const flip = (r: Tri, negate: boolean | undefined): Tri => (negate && r !== null ? !r : r);

/** The node's result on the host (OVAL truth tables; `negate` applied). */
export function evaluateLogic(host: TreeHost, node: Logic): Tri {
  switch (node.k) {
    case 'const':
      return flip(node.value, node.negate);
    case 'platform':
      return flip(node.release === host.feedRelease, node.negate);
    case 'pkg':
      return flip(testResult(host, node), node.negate);
    default: {
      let t = 0;
      let f = 0;
      let u = 0;
      for (const c of node.c) {
        const r = evaluateLogic(host, c);
        if (r === true) t++;
        else if (r === false) f++;
        else u++;
      }
      let r: Tri;
      if (node.k === 'and') r = f > 0 ? false : u > 0 ? null : true;
      else if (node.k === 'or') r = t > 0 ? true : u > 0 ? null : false;
      else if (node.k === 'one') r = t > 1 ? false : u > 0 ? null : t === 1;
      else r = u > 0 ? null : t % 2 === 1;
      return flip(r, node.negate);
    }
  }
}

/**
 * The package tests that make a true definition true (its witnesses): every child of a true AND,
 * the true children of OR / ONE / XOR, never anything under a negation. Only their ranges give
 * findings; an empty set for a definition that is false.
 */
export function witnesses(host: TreeHost, root: Logic): Set<number> {
  const out = new Set<number>();
  const visit = (node: Logic): void => {
    if (node.negate || evaluateLogic(host, node) !== true) return;
    if (node.k === 'pkg') {
      if (node.id >= 0) out.add(node.id);
    } else if (node.k === 'and' || node.k === 'or' || node.k === 'one' || node.k === 'xor') {
      for (const c of node.c) visit(c);
    }
  };
  visit(root);
  return out;
}
