// Which installed packages count, after Pakiti's ingest rules (CESNET/pakiti-server FeederModule;
// CESNET/pakiti-server src/common/DefaultConfig.php KERNEL_PACKAGES_NAMES, IGNORE_PACKAGES,
// IGNORE_PACKAGES_PATTERNS), as a named policy so a CSIRT member can see why a package is
// not shown. The stored package set stays whole: the evaluator applies the kernel rule itself,
// per host, so hosts of one image still share one package set.
import { isKernelPackage, isRunningKernel } from '../evaluate/index.js';
import { POLICIES } from '../vuln-model/policies.js';
import type { ReportedPackage } from './types.js';

/** Note for packages dropped by name or pattern. */
export const IGNORED_PACKAGE_NOTE = 'policy:ignored-package';

export interface PackagePolicy {
  readonly name: string;
  /** Exact names never counted (kernel builds are exempt: the running-kernel rule decides for them). */
  readonly ignoreNames: readonly string[];
  /** Name patterns never counted (kernel builds exempt). */
  readonly ignorePatterns: readonly RegExp[];
}

/**
 * Pakiti 3's defaults. Kernel meta-packages (`linux-image-amd64`, `linux-image-generic`) carry
 * a version that is never the running kernel's, so Pakiti drops them too; here they count as
 * kernels that are not running.
 */
export const PAKITI_PACKAGE_POLICY: PackagePolicy = {
  name: 'pakiti-default',
  ignoreNames: ['kernel-headers', 'kernel-debug', 'kernel-source', 'kernel-firmware', 'kernel-debug-devel', 'kernel-kdump', 'kernel-syms', 'kernel-macros'],
  ignorePatterns: [/-devel$/, /-doc$/],
};

// Debian/Ubuntu kernel meta-packages: linux-image-<flavour>, the flavour not starting with a digit.
const DEB_KERNEL_META = /^linux-image-(?:amd64|arm64|i386|686(?:-pae)?|generic|virtual|lowlatency|cloud-amd64|cloud-arm64|rt-amd64|rt-arm64|generic-hwe-[\d.]+|virtual-hwe-[\d.]+|kvm|aws|azure|gcp|oracle)$/;

const isKernel = (name: string): boolean => isKernelPackage(name) || DEB_KERNEL_META.test(name);

export interface PolicyResult {
  readonly packages: ReportedPackage[];
  readonly dropped: ReadonlyArray<{ readonly package: ReportedPackage; readonly note: string }>;
  /** Policy names that changed the list (`policy:running-kernel-only`, …), each once, sorted. */
  readonly notes: string[];
}

/**
 * Keeps, of the installed kernels, only the running one (`uname -r`): rpm `kernel`,
 * `kernel-core`, `kernel-modules*`, `kernel-uek`, `kernel-rt`… whose `version-release`
 * starts `uname -r`, Debian/Ubuntu `linux-image-<uname -r>` (and its modules and headers).
 * With no kernel reported every kernel is kept and `policy:kernel-running-unknown` noted.
 *
 * @example
 * runningKernelPackages([
 *   { name: 'kernel-core', version: '0:5.14.0-362.8.1.el9_3', arch: 'x86_64' },
 *   { name: 'kernel-core', version: '0:5.14.0-284.11.1.el9_2', arch: 'x86_64' },
 * ], '5.14.0-362.8.1.el9_3.x86_64').packages.length; // 1, notes ['policy:running-kernel-only']
 */
export function runningKernelPackages(packages: readonly ReportedPackage[], kernel: string | undefined): PolicyResult {
  return applyPackagePolicy(packages, kernel, { name: 'running-kernel-only', ignoreNames: [], ignorePatterns: [] });
}

/**
 * Applies the running-kernel rule and then a policy's ignore names and patterns.
 *
 * @example
 * applyPackagePolicy(report.packages, report.kernel).notes; // ['policy:ignored-package', 'policy:running-kernel-only']
 */
export function applyPackagePolicy(packages: readonly ReportedPackage[], kernel: string | undefined, policy: PackagePolicy = PAKITI_PACKAGE_POLICY): PolicyResult {
  const ignored = new Set(policy.ignoreNames);
  const kept: ReportedPackage[] = [];
  const dropped: Array<{ package: ReportedPackage; note: string }> = [];
  const notes = new Set<string>();
  for (const pkg of packages) {
    if (isKernel(pkg.name)) {
      if (kernel === undefined) notes.add(POLICIES.kernelRunningUnknown);
      else if (!isRunningKernel(pkg, kernel)) {
        dropped.push({ package: pkg, note: POLICIES.runningKernelOnly });
        notes.add(POLICIES.runningKernelOnly);
        continue;
      }
    } else if (ignored.has(pkg.name) || policy.ignorePatterns.some((p) => p.test(pkg.name))) {
      dropped.push({ package: pkg, note: IGNORED_PACKAGE_NOTE });
      notes.add(IGNORED_PACKAGE_NOTE);
      continue;
    }
    kept.push(pkg);
  }
  return { packages: kept, dropped, notes: [...notes].sort() };
}
