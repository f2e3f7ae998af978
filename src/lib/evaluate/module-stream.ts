// docs/matching.md, trap 2: RHEL 8+ modular fixes apply only to the module stream they were built for.
// Reports do not say which stream is enabled; the installed package's release tells whether
// it is modular (`.module+el8.9.0+…`, `.module_el8…`), and a numeric stream (`postgresql:13`)
// must agree with the installed version (13.x).
import { POLICIES } from '../vuln-model/policies.js';

const MODULAR_RELEASE = /\.module[+_]/;
const NUMERIC_STREAM = /^\d+(?:\.\d+)*$/;
// `name:stream` in a title ("Moderate: php:7.4 security update", "RHSA-2024:0974: postgresql:13 …").
const TITLE_STREAM = /\b([a-z][a-z0-9+_.-]*):(\d+(?:\.\d+)*)\b/gi;
const ADVISORY_ID = /-\d{4}$/;

/** Whether an rpm version string comes from a module build. */
export function isModularVersion(version: string): boolean {
  return MODULAR_RELEASE.test(version);
}

/** The upstream version of an rpm `[epoch:]version[-release]`. */
function upstreamVersion(evr: string): string {
  const colon = evr.indexOf(':');
  const dash = evr.lastIndexOf('-');
  return evr.slice(colon + 1, dash > colon ? dash : undefined);
}

const agrees = (version: string, stream: string): boolean => version === stream || version.startsWith(`${stream}.`);

/**
 * For a range with no module criteria (older OVAL, most OSV): when its fixed (or last affected)
 * version is itself a module build, the streams the range is taken to be for — the numeric
 * streams its title names that the fix belongs to (`php:7.4` for `7.4.19-4.module_el8…`), else
 * the fix's major version. `undefined` when the bound is not a module build (the range is for
 * non-modular builds). `[]` when not even a major version can be read (any module build).
 *
 * @example
 * streamsOfModularFix('7.4.19-4.module_el8.6.0+3238+624bf8b8', 'Moderate: php:7.4 security update'); // ['7.4']
 * streamsOfModularFix('0:13.13-1.module+el8.9.0+20843+c2d4c8b5', undefined); // ['13']
 * streamsOfModularFix('1:3.0.7-27.el9', 'openssl security update'); // undefined
 */
export function streamsOfModularFix(bound: string | undefined, title: string | undefined): readonly string[] | undefined {
  if (bound === undefined || !isModularVersion(bound)) return undefined;
  const version = upstreamVersion(bound);
  const named: string[] = [];
  for (const m of (title ?? '').matchAll(TITLE_STREAM)) {
    const stream = m[2] as string;
    if (!ADVISORY_ID.test(m[1] as string) && agrees(version, stream) && !named.includes(stream)) named.push(stream);
  }
  if (named.length > 0) return named;
  const major = /^\d+/.exec(version)?.[0];
  return major === undefined ? [] : [major];
}

/**
 * Decides whether a range's module condition holds for an installed version: `false` (not
 * this stream, or modular vs non-modular), or the note to put on the finding (`''` when the
 * range is not modular and neither is the package). `fixStreams` is `streamsOfModularFix` of a
 * range without module criteria.
 *
 * @example
 * moduleVerdict('postgresql:13', '0:13.13-1.module+el8.9.0+20843+c2d4c8b5'); // 'policy:module-stream-inferred'
 * moduleVerdict('postgresql:13', '0:12.17-1.module+el8.9.0+20742+51a36d0b'); // false
 * moduleVerdict(undefined, '0:13.13-1.module+el8.9.0+20843+c2d4c8b5'); // false
 * moduleVerdict(undefined, '0:13.11-1.module+el8.8.0+18897+3e09d6a1', ['13']); // 'policy:module-stream-from-fix'
 */
export function moduleVerdict(module: string | undefined, installed: string, fixStreams?: readonly string[]): string | false {
  const modular = isModularVersion(installed);
  if (module === undefined) {
    if (fixStreams === undefined) return modular ? false : '';
    // The fix is a module build: it says nothing about a non-modular build, and applies to a
    // modular one only of the stream the fix belongs to.
    if (!modular) return false;
    if (fixStreams.length === 0) return POLICIES.moduleStreamFromFix;
    const version = upstreamVersion(installed);
    return fixStreams.some((s) => agrees(version, s)) ? POLICIES.moduleStreamFromFix : false;
  }
  if (!modular) return false;
  const stream = module.slice(module.indexOf(':') + 1);
  if (!NUMERIC_STREAM.test(stream)) return POLICIES.moduleStreamUnverified;
  return agrees(upstreamVersion(installed), stream) ? POLICIES.moduleStreamInferred : false;
}
