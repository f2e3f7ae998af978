// OSV ecosystems of the distributions Vigil follows, mapped to feed release keys.
import type { VersionScheme } from '../vuln-model/types.js';

export interface EcosystemInfo {
  readonly release: string;
  readonly vendor: string;
  readonly scheme: VersionScheme;
  /** Debian and Ubuntu OSV name source packages. */
  readonly nameKind: 'binary' | 'source';
}

/**
 * Maps an OSV ecosystem string to a feed release key, or undefined when Vigil does not follow it.
 * Ubuntu Pro and Red Hat EUS-style streams get keys of their own: their fixes are not available
 * to every host of the release.
 *
 * @example
 * osvEcosystem('Ubuntu:22.04:LTS'); // { release: 'ubuntu:22.04', vendor: 'ubuntu', scheme: 'deb', nameKind: 'source' }
 * osvEcosystem('Red Hat:rhel_eus:9.2::appstream'); // { release: 'rhel-eus:9.2', ... }
 */
export function osvEcosystem(ecosystem: string): EcosystemInfo | undefined {
  let m = /^Debian:(\d+)$/.exec(ecosystem);
  if (m) return { release: `debian:${m[1]}`, vendor: 'debian', scheme: 'deb', nameKind: 'source' };
  m = /^Ubuntu:(Pro:(?:FIPS[^:]*:)?)?(\d+\.\d+)(?::LTS)?$/.exec(ecosystem);
  if (m) return { release: `${m[1] ? 'ubuntu-pro' : 'ubuntu'}:${m[2]}`, vendor: 'ubuntu', scheme: 'deb', nameKind: 'source' };
  m = /^AlmaLinux:(\d+)$/.exec(ecosystem);
  if (m) return { release: `almalinux:${m[1]}`, vendor: 'almalinux', scheme: 'rpm', nameKind: 'binary' };
  m = /^Rocky Linux:(\d+)$/.exec(ecosystem);
  if (m) return { release: `rocky:${m[1]}`, vendor: 'rocky', scheme: 'rpm', nameKind: 'binary' };
  m = /^Red Hat:([a-z_]+):(\d+(?:\.\d+)?)(?::|$)/.exec(ecosystem);
  if (m) {
    const stream = m[1] === 'enterprise_linux' ? 'rhel' : `rhel-${(m[1] as string).replace(/^rhel_/, '').replace(/_/g, '-')}`;
    return { release: `${stream}:${m[2]}`, vendor: 'redhat', scheme: 'rpm', nameKind: 'binary' };
  }
  return undefined;
}
