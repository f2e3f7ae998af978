// What each feed warning means, in plain words (issue 11, item 5). The warnings themselves are
// terse and stable (scripts and the CLI read them); this says what the CSIRT should make of one:
// whether it is normal for that vendor's file or a sign the feed broke, and what to do.
import { POLICIES } from '../../lib/vuln-model/index.js';
import { MISSING_INDEX } from './index-coverage.js';

export interface FeedWarningMeaning {
  /** The warning as stored. */
  warning: string;
  /** `alarm`: the feed may be broken (its status is `warning`); `note`: normal for such files. */
  kind: 'alarm' | 'note';
  meaning: string;
}

/** Why items of a feed were skipped, by the reason the parsers record (recordSkip). */
const SKIPPED: Array<[RegExp, string]> = [
  [
    /^[a-z]+-definition$/,
    'definitions of a class that describes no vulnerability (inventory, miscellaneous); only vulnerability and patch advisories are used. Normal.',
  ],
  [
    /^definition-without-affected-package$/,
    'definitions that name no package Vigil can compare (only platform checks, for instance). Normal in small numbers.',
  ],
  [/^fixed-without-version$/, 'entries the vendor marks fixed without naming a version. They are not used.'],
  [/^(known-)?not-affected$/, 'releases the vendor states are not affected. Normal.'],
  [
    /^(missing-test|unresolved-package-object)$/,
    'tests that refer to a test or object missing from the file; their definitions are judged on their other tests. Many suggest a truncated or damaged file.',
  ],
  [/^(negated-package-test|not-installed-test)$/, 'tests that only check a package is absent; they cannot make a host vulnerable. Normal.'],
  [/^policy:withdrawn$/, 'advisories their publisher withdrew. Normal.'],
  [/^policy:never-true-range$/, 'ranges that can never match ("less than 0"), which mean "not affected". Normal.'],
  [
    /^(release-unknown|unsupported-platform|unresolved-product)$/,
    'tests or records for a release or product Vigil does not recognise. Normal for a file covering several products; otherwise check the release given to the feed.',
  ],
  [/^source-rpm$/, 'source packages, which are never installed on hosts. Normal.'],
  [/^versions-only-affected$/, 'OSV entries that list affected versions without a range; they are not used.'],
  [/^unsupported-ecosystem:/, "records of another ecosystem than an operating system's packages. Normal in a mixed export."],
  [/^unsupported-range-type:/, 'OSV ranges of a type that does not describe packages (such as GIT). Normal.'],
  [/^os-check$/, 'checks of the operating system, which are not packages. Normal.'],
  [
    /^unrecognised/,
    'entries whose wording Vigil does not recognise (a status comment, for instance). A few are normal; many mean the vendor changed its format, and raise an alarm.',
  ],
  [/^unsupported-evr-operation:/, 'version comparisons of a kind Vigil does not evaluate; their definitions are judged on their other tests.'],
];

const ALARMS: Array<[RegExp, string]> = [
  [
    /^this feed produced no CVEs/,
    'The feed has definitions but none names a CVE: the vendor may have changed its format. Findings then carry advisory ids only, and the CVE list and risk tags miss these hosts. Compare the file with an earlier one.',
  ],
  [
    /^CVEs fell from/,
    'Fewer than half the CVEs of the previous refresh: the file may be truncated, or the vendor moved its data. What was read was stored; check the source before trusting the findings.',
  ],
  [/^mappings fell from/, "Fewer than half the binary → source names of the previous refresh: the index may be truncated. Check the release's Sources file."],
  [
    new RegExp(`^${MISSING_INDEX}`),
    "This vendor names source packages, and no binary → source index is loaded for the release: binary packages named unlike their source are missed. Add the release's Sources index as a debian-index feed.",
  ],
  [
    new RegExp(`^${POLICIES.formatDrift}`),
    'The file parsed, but yielded far less than a feed of its kind should: its format may have changed. Compare the file with an earlier one.',
  ],
];

/** The meaning of one warning; one no rule knows is shown as it is. */
export function explainFeedWarning(warning: string): FeedWarningMeaning {
  const skipped = /^(\d+) skipped: (.+)$/.exec(warning);
  if (skipped) {
    const why = SKIPPED.find(([re]) => re.test(skipped[2]!))?.[1] ?? 'items of this kind were not used.';
    return { warning, kind: 'note', meaning: `${skipped[1]} skipped: ${why}` };
  }
  const alarm = ALARMS.find(([re]) => re.test(warning));
  return alarm ? { warning, kind: 'alarm', meaning: alarm[1] } : { warning, kind: 'alarm', meaning: warning };
}
