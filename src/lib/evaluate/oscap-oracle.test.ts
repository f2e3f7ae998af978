// OpenSCAP as an oracle (issue 10): `oscap oval eval` on the OVAL fixtures against fake system
// roots (an rpm database of stand-in packages built with rpmbuild, a dpkg status file) must agree
// with Vigil's findings for every (host, package, definition), and so for every (host,
// definition). Skips, saying why, where oscap or rpmbuild is missing (Debian: openscap-scanner,
// rpm; .ci/run installs both).
//
// The packages oscap holds responsible for a true definition are read from its OVAL results
// (`--results`): the rpminfo_item / dpkginfo_item names of the items of the package tests that
// make the definition true — true criteria not under a negation, all children of a true AND, the
// true children of a true OR/ONE/XOR — taking a test's items whose own result is true (all of its
// items when none is). Tests on a distribution release package without an evr state are platform
// checks, never packages (policy:platform-test, Vigil's RELEASE_PACKAGE rule).
//
// How oscap is pointed at a root: OSCAP_PROBE_ROOT makes the probes chroot into it (so this needs
// root, as in CI). The rpm probes read rpm's macros before the chroot; Debian's rpm puts the
// database in ~/.rpmdb, so HOME points at a directory whose .rpmmacros says `%_dbpath
// /var/lib/rpm` (a path inside the root). The dpkginfo probe runs libapt with Dir = the root;
// APT_CONFIG points at a file that moves apt.conf.d away, because a Docker image's docker-clean
// (pkgcache "") makes libapt write its cache over the root directory and fail.
//
// Policy made explicit for the oracle: Vigil assumes packages are vendor-signed
// (policy:signature-assumed-vendor); the stand-ins are unsigned (oscap reads key id "0"), so the
// copy of each fixture given to oscap expects key "0".
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RELEASE_PACKAGE } from '../oval/logic.js';
import { parseOval } from '../oval/parse.js';
import { streamXml } from '../xml/bounded-sax.js';
import { compileFeed } from './compile.js';
import { createEvaluator } from './engine.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const isRoot = process.getuid?.() === 0;
const skip = !has('oscap')
  ? 'oscap is not installed (Debian: apt-get install openscap-scanner)'
  : !has('rpmbuild') || !has('rpm')
    ? 'rpmbuild/rpm are not installed (Debian: apt-get install rpm)'
    : !isRoot
      ? 'oscap needs root to chroot into the fake system roots'
      : false;

const fixtures = new URL('../../../test/fixtures/feeds/', import.meta.url);

interface Pkg {
  name: string;
  epoch: number;
  version: string;
  release: string;
  arch: 'x86_64' | 'noarch' | 'amd64' | 'all';
  /** A file the package owns (release packages own /etc/redhat-release). */
  file?: string;
}
interface Host {
  id: string;
  os: string;
  scheme: 'rpm' | 'deb';
  feeds: string[];
  packages: Pkg[];
  files?: Record<string, string>;
  runningKernel?: string;
}

const rpm = (name: string, evr: string, arch: Pkg['arch'] = 'x86_64', file?: string): Pkg => {
  const m = /^(\d+):(.+)-([^-]+)$/.exec(evr) as RegExpExecArray;
  return { name, epoch: Number(m[1]), version: m[2] as string, release: m[3] as string, arch, ...(file ? { file } : {}) };
};
const deb = (name: string, version: string): Pkg => ({ name, epoch: 0, version, release: '', arch: 'amd64' });

const RHEL9 = ['rhel-9-including-unpatched.oval.xml', 'rhel-9.oval.xml'];
const HOSTS: Host[] = [
  {
    id: 'rhel9-old',
    os: 'rhel:9',
    scheme: 'rpm',
    feeds: RHEL9,
    runningKernel: '5.14.0-427.13.1.el9_4.x86_64',
    packages: [
      rpm('redhat-release', '0:9.4-0.5.el9', 'x86_64', 'redhat-release'),
      rpm('openssl', '1:3.0.7-24.el9'),
      rpm('openssl-libs', '1:3.0.7-24.el9'),
      rpm('kernel-core', '0:5.14.0-427.13.1.el9_4'),
      rpm('libxml2', '0:2.9.13-6.el9_4'),
      rpm('zlib', '0:1.2.11-40.el9'),
      rpm('curl', '0:7.76.1-29.el9_4'),
      rpm('glibc', '0:2.34-83.el9_3'),
      rpm('glibc', '0:2.34-100.el9_4'),
      rpm('bash', '0:5.1.8-6.el9'),
      rpm('sudo', '0:1.9.5p2-9.el9'),
      rpm('tar', '2:1.34-6.el9'),
    ],
  },
  {
    id: 'rhel9-new',
    os: 'rhel:9',
    scheme: 'rpm',
    feeds: RHEL9,
    runningKernel: '5.14.0-427.16.1.el9_4.x86_64',
    packages: [
      rpm('redhat-release', '0:9.4-0.5.el9', 'x86_64', 'redhat-release'),
      rpm('openssl', '1:3.0.7-27.el9'),
      rpm('openssl-libs', '1:3.0.7-27.el9'),
      rpm('kernel-core', '0:5.14.0-427.16.1.el9_4'),
      rpm('glibc', '0:2.34-83.el9_3'),
      rpm('bash', '0:5.1.8-6.el9'),
      rpm('sudo', '0:1.9.5p2-10.el9'),
      rpm('tar', '2:1.34-6.el9'),
      rpm('tar', '2:1.34-7.el9'),
    ],
  },
  {
    id: 'rhel8-postgresql13',
    os: 'rhel:8',
    scheme: 'rpm',
    feeds: ['rhel-8-module.oval.xml'],
    files: { '/etc/dnf/modules.d/postgresql.module': '\n[postgresql]\nname=postgresql\nstream=13\nprofiles=\nstate=enabled\n' },
    packages: [rpm('redhat-release', '0:8.9-0.1.el8', 'x86_64', 'redhat-release'), rpm('postgresql', '0:13.12-1.module+el8.9.0+20432+18a3ee4c')],
  },
  {
    id: 'alma9-old',
    os: 'almalinux:9',
    scheme: 'rpm',
    feeds: ['almalinux-9.oval.xml'],
    packages: [rpm('almalinux-release', '0:9.4-1.el9', 'x86_64', 'almalinux-release'), rpm('openssl-libs', '1:3.0.7-24.el9')],
  },
  {
    id: 'ol8-x86_64',
    os: 'oracle:8',
    scheme: 'rpm',
    feeds: ['oracle/com.oracle.elsa-all.oval.xml'],
    packages: [rpm('oraclelinux-release', '8:8.9-1.0.9.el8'), rpm('openssl-libs', '1:1.1.1k-9.el8_7'), rpm('bind-libs', '32:9.11.36-8.el8')],
  },
  {
    id: 'ol9-x86_64',
    os: 'oracle:9',
    scheme: 'rpm',
    feeds: ['oracle/com.oracle.elsa-all.oval.xml'],
    packages: [rpm('oraclelinux-release', '9:9.3-1.0.2.el9'), rpm('openssl-libs', '1:3.0.7-24.0.1.el9'), rpm('openssl-perl', '1:3.0.7-24.0.1.el9', 'noarch')],
  },
  {
    id: 'ol7-x86_64',
    os: 'oracle:7',
    scheme: 'rpm',
    feeds: ['oracle/com.oracle.elsa-all.oval.xml'],
    packages: [rpm('oraclelinux-release', '7:7.9-1.0.9.el7'), rpm('bind-libs', '32:9.11.4-26.P2.el7_9.14')],
  },
  {
    id: 'debian12-old',
    os: 'debian:12',
    scheme: 'deb',
    feeds: ['debian-12.oval.xml', 'debian-12-existence.oval.xml'],
    packages: [deb('openssl', '3.0.11-1~deb12u2'), deb('curl', '7.88.1-10+deb12u5'), deb('tar', '1.34+dfsg-1.2')],
  },
  {
    id: 'debian12-gnutls',
    os: 'debian:12',
    scheme: 'deb',
    feeds: ['debian-12.oval.xml', 'debian-12-existence.oval.xml'],
    packages: [deb('openssl', '3.0.13-1~deb12u1'), deb('curl', '7.88.1-10+deb12u5'), deb('libcurl3-gnutls', '7.88.1-10+deb12u5'), deb('tar', '1.34+dfsg-1.2')],
  },
];

const work = skip ? '' : mkdtempSync(join(tmpdir(), 'vigil-oscap-'));
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const SPEC = `Name: %{pname}
Version: %{pver}
Release: %{prel}
Epoch: %{pepoch}
Summary: stand-in
License: MIT
BuildArch: %{parch}
%description
stand-in package for the OpenSCAP oracle test
%install
%if "%{pfile}" != "none"
mkdir -p %{buildroot}/etc
echo "stand-in" > %{buildroot}/etc/%{pfile}
%endif
%files
%if "%{pfile}" != "none"
/etc/%{pfile}
%endif
`;

function buildRpm(p: Pkg): string {
  const top = join(work, 'rpmbuild');
  const spec = join(work, 'stand-in.spec');
  writeFileSync(spec, SPEC);
  const def = (k: string, v: string | number) => ['--define', `${k} ${v}`];
  execFileSync(
    'rpmbuild',
    [
      '--quiet',
      '-bb',
      ...def('_topdir', top),
      ...def('pname', p.name),
      ...def('pver', p.version),
      ...def('prel', p.release),
      ...def('pepoch', p.epoch),
      ...def('parch', p.arch),
      ...def('pfile', p.file ?? 'none'),
      ...def('_build_id_links', 'none'),
      ...def('__os_install_post', '%{nil}'),
      spec,
    ],
    { stdio: 'pipe' },
  );
  return join(top, 'RPMS', p.arch, `${p.name}-${p.version}-${p.release}.${p.arch}.rpm`);
}

function makeRoot(h: Host): string {
  const root = join(work, h.id);
  mkdirSync(join(root, 'etc'), { recursive: true });
  for (const [path, text] of Object.entries(h.files ?? {})) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  if (h.scheme === 'rpm') {
    const files = h.packages.map(buildRpm);
    execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', '--ignorearch', '--ignoreos', '--noscripts', ...files], {
      stdio: 'pipe',
    });
  } else {
    writeFileSync(join(root, 'etc/debian_version'), '12.5\n');
    mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
    mkdirSync(join(root, 'var/cache/apt'), { recursive: true });
    mkdirSync(join(root, 'usr/share/dpkg'), { recursive: true });
    for (const f of ['cputable', 'tupletable']) copyFileSync(`/usr/share/dpkg/${f}`, join(root, 'usr/share/dpkg', f));
    const status = h.packages.map(
      (p) =>
        `Package: ${p.name}\nStatus: install ok installed\nPriority: optional\nSection: misc\nMaintainer: Stand-in <stand-in@example.org>\nArchitecture: ${p.arch}\nVersion: ${p.version}\nDescription: stand-in\n stand-in package for the OpenSCAP oracle test\n`,
    );
    writeFileSync(join(root, 'var/lib/dpkg/status'), status.join('\n'));
  }
  return root;
}

/** One node of a definition's criteria in oscap's results. */
interface ResultNode {
  kind: 'criteria' | 'criterion' | 'extend_definition';
  result: string;
  negate: boolean;
  /** test_ref (criterion) or definition_ref (extend_definition). */
  ref: string;
  children: ResultNode[];
}
/** oscap's verdict per definition id, and the packages it holds responsible for each true one. */
interface OscapResults {
  results: Map<string, string>;
  packages: Map<string, Set<string>>;
}

/** Reads an OVAL results document (oscap --results) with Vigil's bounded XML reader. */
async function readResults(xml: string): Promise<OscapResults> {
  const statesOf = new Map<string, string[]>(); // test id -> state refs (definitions section)
  const evrStates = new Set<string>(); // state ids with an evr entity
  const defs = new Map<string, { result: string; criteria: ResultNode[] }>();
  const tests = new Map<string, { result: string; items: { id: string; result: string }[] }>();
  const itemNames = new Map<string, string>(); // rpminfo_item / dpkginfo_item id -> name
  const path: string[] = [];
  let section: 'defs' | 'results' | undefined;
  let test: string | undefined;
  let state: string | undefined;
  let def: { result: string; criteria: ResultNode[] } | undefined;
  const nodes: ResultNode[] = [];
  let resultTest: { result: string; items: { id: string; result: string }[] } | undefined;
  let item: string | undefined;
  let text = '';
  await streamXml(
    xml,
    { maxDepth: 64, maxElements: 1_000_000, maxTokenChars: 1 << 20, maxBytes: 1 << 28 },
    {
      open(name, a) {
        const parent = path[path.length - 1];
        path.push(name);
        text = '';
        if (path.length === 2 && name === 'oval_definitions') section = 'defs';
        else if (path.length === 2 && name === 'results') section = 'results';
        if (section === 'defs') {
          if (/^(?:rpminfo|dpkginfo)_test$/.test(name)) statesOf.set((test = a.id as string), []);
          else if (name === 'state' && test && a.state_ref) statesOf.get(test)?.push(a.state_ref);
          else if (/^(?:rpminfo|dpkginfo)_state$/.test(name)) state = a.id;
          else if (name === 'evr' && state && parent?.endsWith('_state')) evrStates.add(state);
        } else if (section === 'results') {
          if (name === 'definition' && a.definition_id) defs.set(a.definition_id, (def = { result: a.result ?? '', criteria: [] }));
          else if (def && (name === 'criteria' || name === 'criterion' || name === 'extend_definition')) {
            const node: ResultNode = {
              kind: name,
              result: a.result ?? '',
              negate: a.negate === 'true',
              ref: a.test_ref ?? a.definition_ref ?? '',
              children: [],
            };
            (nodes[nodes.length - 1]?.children ?? def.criteria).push(node);
            nodes.push(node);
          } else if (name === 'test' && a.test_id) tests.set(a.test_id, (resultTest = { result: a.result ?? '', items: [] }));
          else if (name === 'tested_item' && resultTest) resultTest.items.push({ id: a.item_id ?? '', result: a.result ?? '' });
          else if (/^(?:rpminfo|dpkginfo)_item$/.test(name)) item = a.id;
        }
      },
      close(name) {
        path.pop();
        if (name === 'oval_definitions' || (name === 'results' && path.length === 1)) section = undefined;
        else if (name.endsWith('_test')) test = undefined;
        else if (name.endsWith('_state')) state = undefined;
        else if (name === 'definition') def = undefined;
        else if (name === 'criteria' || name === 'criterion' || name === 'extend_definition') nodes.pop();
        else if (name === 'test') resultTest = undefined;
        else if (name.endsWith('_item')) item = undefined;
        else if (name === 'name' && item && section === 'results') itemNames.set(item, text.trim());
      },
      text(t) {
        text += t;
      },
    },
    { label: 'OVAL results', root: 'oval_results', localNames: true },
  );

  const responsible = (node: ResultNode, into: Set<string>, seen: Set<string>): void => {
    // Nothing under a negation, nothing that is not true (a true OR's false children).
    if (node.negate || node.result !== 'true') return;
    if (node.kind === 'criteria') for (const c of node.children) responsible(c, into, seen);
    else if (node.kind === 'extend_definition') {
      if (seen.has(node.ref)) return;
      seen.add(node.ref);
      for (const c of defs.get(node.ref)?.criteria ?? []) responsible(c, into, seen);
    } else {
      const t = tests.get(node.ref);
      if (!t) return;
      const hasEvr = (statesOf.get(node.ref) ?? []).some((s) => evrStates.has(s));
      const trueItems = t.items.filter((i) => i.result === 'true');
      for (const i of trueItems.length ? trueItems : t.items) {
        const name = itemNames.get(i.id);
        if (name === undefined) continue; // not a package item (textfilecontent, uname, ...)
        if (RELEASE_PACKAGE.test(name) && !hasEvr) continue; // policy:platform-test
        into.add(name);
      }
    }
  };
  const results = new Map<string, string>();
  const packages = new Map<string, Set<string>>();
  for (const [id, d] of defs) {
    results.set(id, d.result);
    if (d.result !== 'true') continue;
    const names = new Set<string>();
    for (const c of d.criteria) responsible(c, names, new Set([id]));
    packages.set(id, names);
  }
  return { results, packages };
}

/** oscap's verdicts and responsible packages for one feed on one root. */
async function oscapEval(root: string, feed: string): Promise<OscapResults> {
  const input = join(work, `in-${feed.replace(/\W/g, '_')}`);
  // policy:signature-assumed-vendor, made literal for unsigned stand-ins (see the header).
  writeFileSync(input, readFileSync(new URL(feed, fixtures), 'utf8').replace(/(<[\w-]+:signature_keyid[^>]*>)[0-9a-f]+</g, '$10<'));
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
  const aptParts = join(work, 'apt.conf.d');
  mkdirSync(aptParts, { recursive: true });
  writeFileSync(join(work, 'apt.conf'), `Dir::Etc::Parts "${aptParts}";\nDir::Etc::Main "/dev/null";\n`);
  const results = join(work, 'results.xml');
  const r = spawnSync('oscap', ['oval', 'eval', '--results', results, input], {
    env: { ...process.env, HOME: home, OSCAP_PROBE_ROOT: root, APT_CONFIG: join(work, 'apt.conf') },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /has failed/, r.stderr);
  return readResults(readFileSync(results, 'utf8'));
}

test('OpenSCAP and Vigil agree on every (host, package, definition) of the OVAL fixtures', { skip, timeout: 120_000 }, async () => {
  let compared = 0;
  let trueCount = 0;
  const disagreements: string[] = [];
  const oscapTriples = new Set<string>();
  const vigilTriples = new Set<string>();
  for (const h of HOSTS) {
    const root = makeRoot(h);
    for (const feed of h.feeds) {
      const { results: expected, packages: responsible } = await oscapEval(root, feed);
      const parsed = await parseOval(readFileSync(new URL(feed, fixtures), 'utf8'), { release: h.os });
      const ev = createEvaluator(compileFeed(parsed.definitions));
      const packages = h.packages.map((p) => ({
        name: p.name,
        version: h.scheme === 'rpm' ? `${p.epoch}:${p.version}-${p.release}` : p.version,
        arch: p.arch,
      }));
      const { findings } = ev.evaluate({ os: h.os, packages, ...(h.runningKernel ? { runningKernel: h.runningKernel } : {}) });
      const vigil = new Set(findings.map((f) => f.definitionId));
      for (const [id, result] of expected) {
        compared++;
        if (result === 'true') trueCount++;
        if ((result === 'true') !== vigil.has(id))
          disagreements.push(`${h.id} ${feed} ${id}: oscap ${result}, Vigil ${vigil.has(id) ? 'finding' : 'no finding'}`);
      }
      for (const id of vigil) if (!expected.has(id)) disagreements.push(`${h.id} ${feed} ${id}: Vigil finding, not evaluated by oscap`);
      for (const [id, names] of responsible) for (const name of names) oscapTriples.add(`${h.id} ${feed} ${name} ${id}`);
      for (const f of findings) vigilTriples.add(`${h.id} ${feed} ${f.package} ${f.definitionId}`);
    }
  }
  const onlyOscap = [...oscapTriples].filter((t) => !vigilTriples.has(t));
  const onlyVigil = [...vigilTriples].filter((t) => !oscapTriples.has(t));
  const triples = new Set([...oscapTriples, ...vigilTriples]).size;
  console.log(
    `oscap oracle: ${compared} (host, definition) pairs, ${trueCount} true, ${disagreements.length} disagreements; ` +
      `${triples} (host, package, definition) triples, ${triples - onlyOscap.length - onlyVigil.length} agreeing`,
  );
  assert.deepEqual(
    {
      definitions: disagreements,
      packages: [...onlyOscap.map((t) => `${t}: oscap true, Vigil no finding`), ...onlyVigil.map((t) => `${t}: Vigil finding, oscap not`)],
    },
    { definitions: [], packages: [] },
  );
});
