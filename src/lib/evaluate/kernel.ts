// docs/matching.md, trap 8: several kernels are installed, only the running one (`uname -r`) matters.

// rpm installonly kernel packages: kernel, kernel-core, kernel-modules*, kernel-devel, and the
// rt / debug / uek / 64k variants of each. kernel-headers and kernel-tools are single-version.
const RPM_KERNEL =
  /^kernel(?:-rt|-uek|-debug|-rt-debug|-64k|-64k-debug|-zfcpdump)?(?:-core|-modules|-modules-core|-modules-extra|-modules-internal|-devel|-devel-matched)?$/;
// Debian/Ubuntu: the kernel release is in the name (linux-image-6.1.0-18-amd64).
const DEB_KERNEL = /^linux-(?:image|modules|modules-extra|headers)(?:-unsigned)?-(\d[^\s]*)$/;
const LIVEPATCH = /ksplice|\.tdc\b|_TDC/i;

/**
 * Whether a package is one of possibly several installed kernels.
 *
 * @example
 * isKernelPackage('kernel-core'); // true
 * isKernelPackage('kernel-headers'); // false
 */
export function isKernelPackage(name: string): boolean {
  const c = name.charCodeAt(0);
  if (c !== 0x6b && c !== 0x6c) return false; // 'k' or 'l': skip the regexes for most names
  return RPM_KERNEL.test(name) || DEB_KERNEL.test(name);
}

/**
 * Whether an installed kernel package belongs to the running kernel `uname -r`.
 *
 * @example
 * isRunningKernel({ name: 'kernel-core', version: '0:5.14.0-427.13.1.el9_4', arch: 'x86_64' }, '5.14.0-427.13.1.el9_4.x86_64'); // true
 * isRunningKernel({ name: 'linux-image-6.1.0-18-amd64', version: '6.1.76-1', arch: 'amd64' }, '6.1.0-18-amd64'); // true
 */
export function isRunningKernel(pkg: { name: string; version: string }, uname: string): boolean {
  const deb = DEB_KERNEL.exec(pkg.name);
  if (deb) return deb[1] === uname;
  const colon = pkg.version.indexOf(':');
  const vr = colon >= 0 && /^\d+$/.test(pkg.version.slice(0, colon)) ? pkg.version.slice(colon + 1) : pkg.version;
  if (!uname.startsWith(vr)) return false;
  const next = uname.charAt(vr.length);
  return next === '' || next === '.' || next === '+';
}

/**
 * Whether a kernel build is live-patched (Oracle ksplice, SUSE TDC) and so not comparable
 * with plain builds.
 *
 * @example
 * isLivepatchedKernel('0:4.14.35-2047.510.5.5.el7uek.ksplice1'); // true
 */
export function isLivepatchedKernel(version: string): boolean {
  return LIVEPATCH.test(version);
}
