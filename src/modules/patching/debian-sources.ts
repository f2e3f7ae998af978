// Binary → source package names for Debian and Ubuntu hosts. Their OVAL data names source
// packages (docs/matching.md, trap 5) while reports carry binary names. The answer is the
// distribution's own index, loaded as a debian-index feed; these rules serve installations
// without one (and binaries it does not list): they cover the packages behind most critical
// advisories, so that e.g. openssh-server meets the `openssh` definition.
const RULES: Array<[RegExp, string]> = [
  [/^openssh-(server|client|sftp-server)$/, 'openssh'],
  [/^(libc6|libc6-[a-z0-9-]+|libc-bin|libc-dev-bin|libc-l10n|locales|locales-all)$/, 'glibc'],
  [/^(libssl\d[\w.]*|libssl-dev|openssl-provider-legacy)$/, 'openssl'],
  [/^linux-(image|headers|modules|modules-extra)-.+$/, 'linux'],
  [/^(libcurl\d[\w-]*|libcurl4-openssl-dev)$/, 'curl'],
  [/^(libsystemd0|libudev1|udev|systemd-[a-z-]+|libpam-systemd|libnss-systemd)$/, 'systemd'],
  [/^libxml2(-utils)?$/, 'libxml2'],
  [/^libexpat1(-dev)?$/, 'expat'],
  [/^libgnutls(30|-dane0|28-dev)$/, 'gnutls28'],
  [/^(libkrb5-\d+|libkrb5support\d|libk5crypto\d|libgssapi-krb5-\d|krb5-[a-z-]+)$/, 'krb5'],
  [/^(libpython3\.\d+(-[a-z]+)?|python3\.\d+(-[a-z]+)?)$/, 'python3'],
  [/^(libsudo|sudo-ldap)$/, 'sudo'],
  [/^(bind9-[a-z-]+|libbind9-\d+|dnsutils)$/, 'bind9'],
  [/^(libxz|liblzma\d|xz-utils)$/, 'xz-utils'],
];

/** Binary → source names per release (`debian:12`), as debian-index feeds store them. */
export type SourceMaps = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * `sourceOf` for the evaluator: the loaded index of the release first, then the built-in rules.
 * A release with no index loaded answers from the rules alone.
 */
export function createDebianSourceOf(maps: SourceMaps): (release: string, binary: string) => string | undefined {
  return (release, binary) => maps.get(release)?.get(binary) ?? debianSourceOf(release, binary);
}

/** The source package a Debian/Ubuntu binary package is built from, when a rule knows it. */
function debianSourceOf(release: string, binary: string): string | undefined {
  if (!release.startsWith('debian:') && !release.startsWith('ubuntu:')) return undefined;
  for (const [pattern, source] of RULES) if (pattern.test(binary)) return source;
  return undefined;
}
