// docs/matching.md, trap 2: RHEL 8+ modular fixes apply only to the module stream they were built for.
// Reports do not say which stream is enabled; the installed package's release tells whether
// it is modular (`.module+el8.9.0+…`, `.module_el8…`), and a numeric stream (`postgresql:13`)
// must agree with the installed version (13.x).
import { POLICIES } from '../vuln-model/policies.js';

const MODULAR_RELEASE = /\.module[+_]/;
const NUMERIC_STREAM = /^\d+(?:\.\d+)*$/;

/** Whether an rpm version string comes from a module build. */
export function isModularVersion(version: string): boolean {
  return MODULAR_RELEASE.test(version);
}

/**
 * Decides whether a range's module condition holds for an installed version: `false` (not
 * this stream, or modular vs non-modular), or the note to put on the finding (`''` when the
 * range is not modular and neither is the package).
 *
 * @example
 * moduleVerdict('postgresql:13', '0:13.13-1.module+el8.9.0+20843+c2d4c8b5'); // 'policy:module-stream-inferred'
 * moduleVerdict('postgresql:13', '0:12.17-1.module+el8.9.0+20742+51a36d0b'); // false
 * moduleVerdict(undefined, '0:13.13-1.module+el8.9.0+20843+c2d4c8b5'); // false
 */
export function moduleVerdict(module: string | undefined, installed: string): string | false {
  const modular = isModularVersion(installed);
  if (module === undefined) return modular ? false : '';
  if (!modular) return false;
  const stream = module.slice(module.indexOf(':') + 1);
  if (!NUMERIC_STREAM.test(stream)) return POLICIES.moduleStreamUnverified;
  const colon = installed.indexOf(':');
  const version = installed.slice(colon + 1, installed.lastIndexOf('-') > colon ? installed.lastIndexOf('-') : undefined);
  return version === stream || version.startsWith(`${stream}.`) ? POLICIES.moduleStreamInferred : false;
}
