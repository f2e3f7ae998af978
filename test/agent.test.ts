// agent/vigil-agent run with dash against stub rpm, dpkg-query, uname and hostname placed first
// on PATH, its report read back with the server's own parser.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { identifyHost } from '../src/lib/os-release/index.js';
import { parseProtocol5 } from '../src/lib/pakiti-report/index.js';

const AGENT = new URL('../agent/vigil-agent', import.meta.url).pathname;
const fixture = (name: string): string => readFileSync(new URL(`fixtures/reports/${name}`, import.meta.url), 'utf8');
const runs = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const noDash = runs('dash', ['-c', 'exit 0']) ? false : 'dash is not installed';
const noCurl = noDash || (runs('curl', ['--version']) ? false : 'curl is not installed');

const root = mkdtempSync(join(tmpdir(), 'vigil-agent-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Package lines of a fixture report (between the second and third `#`). */
const packageLines = (name: string): string[] => fixture(name).split('\n#\n')[1]?.trim().split('\n') ?? [];

interface FakeHost {
  readonly arch: string;
  readonly kernel: string;
  readonly fqdn: string | null;
  readonly rpm?: string;
  readonly dpkg?: string;
  readonly etc: Record<string, string>;
}

let hosts = 0;
/** A directory of stubs plus an etc directory; returns the env to run the agent with. */
function fakeHost(h: FakeHost): NodeJS.ProcessEnv {
  const dir = join(root, `host${++hosts}`);
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  mkdirSync(join(dir, 'etc'));
  const stub = (name: string, body: string): void => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const print = (text: string): string => `cat <<'STUB_EOF'\n${text}STUB_EOF`;
  stub('uname', `case "$1" in -r) echo '${h.kernel}' ;; -m) echo '${h.arch}' ;; -n) echo 'shortname' ;; *) echo 'Linux ${h.kernel}' ;; esac`);
  stub('hostname', h.fqdn === null ? 'exit 1' : `echo '${h.fqdn}'`);
  // An rpm that lists nothing, as on a Debian host with rpm installed (Pakiti issue #31).
  stub('rpm', h.rpm === undefined ? 'exit 1' : `[ "$1" = -qa ] || exit 2\n${print(h.rpm)}`);
  stub('dpkg-query', h.dpkg === undefined ? 'exit 1' : `[ "$1" = -W ] || exit 2\n${print(h.dpkg)}`);
  for (const [file, text] of Object.entries(h.etc)) writeFileSync(join(dir, 'etc', file), text);
  return { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, VIGIL_ETC: join(dir, 'etc'), TMPDIR: dir, HOME: dir };
}

// rpm -qa prints `(none)` for no epoch, lists gpg-pubkey, and is unsorted.
const rockyRpmOutput = `${packageLines('rocky9-wn.txt')
  .map((l) => l.replace('\t0:', '\t(none):'))
  .reverse()
  .join('\n')}\ngpg-pubkey\t(none):350d275d-6279464b\t(none)\n`;
const rocky: FakeHost = {
  arch: 'x86_64',
  kernel: '5.14.0-362.8.1.el9_3.x86_64',
  fqdn: 'wn042.grid.example.org',
  rpm: rockyRpmOutput,
  etc: { 'redhat-release': 'Rocky Linux release 9.3 (Blue Onyx)\n', 'os-release': 'NAME="Rocky Linux"\nVERSION_ID="9.3"\n' },
};

// dpkg-query prints `${Status}=…` lines; removed packages keep their config files.
const ubuntuLines = packageLines('ubuntu2204-arm64.txt');
const ubuntuDpkgOutput = [
  ...ubuntuLines.map((l) => `${l.startsWith('linux-image-generic\t') ? 'hold' : 'install'} ok installed=${l}`),
  'deinstall ok config-files=linux-image-5.15.0-91-generic\t5.15.0-91.101\tarm64',
  'unknown ok not-installed=snapd-xdg-open\t\t',
]
  .join('\n')
  .concat('\n');
const ubuntuArm: FakeHost = {
  arch: 'aarch64',
  kernel: '5.15.0-97-generic',
  fqdn: 'arm-wn03.example.org',
  dpkg: ubuntuDpkgOutput,
  etc: { 'os-release': 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\n' },
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function agent(env: NodeJS.ProcessEnv, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('dash', [AGENT, ...args], { env, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

test('the agent script is POSIX sh that dash accepts', { skip: noDash }, () => {
  assert.equal(spawnSync('dash', ['-n', AGENT]).status, 0);
  assert.equal(spawnSync('sh', ['-n', AGENT]).status, 0);
});

test('an rpm host (Rocky 9): the dry-run report parses to the fixture packages, gpg-pubkey dropped, (none) as 0', { skip: noDash }, async () => {
  const run = await agent(fakeHost(rocky), ['--dry-run', '--site', 'EXAMPLE-SITE']);

  assert.equal(run.code, 0, run.stderr);
  const r = parseProtocol5(run.stdout);
  assert.deepEqual(
    [r.host, r.site, r.kernel, r.arch, r.system, r.packager, r.tag, r.cpu],
    ['wn042.grid.example.org', 'EXAMPLE-SITE', '5.14.0-362.8.1.el9_3.x86_64', 'x86_64', 'Rocky Linux release 9.3 (Blue Onyx)', 'rpm', undefined, undefined],
  );
  assert.deepEqual(r.packages, parseProtocol5(fixture('rocky9-wn.txt')).packages);
  assert.deepEqual(r.warnings, []);
  assert.equal(run.stdout.split('\n#\n')[1], fixture('rocky9-wn.txt').split('\n#\n')[1]);
});

test('an aarch64 dpkg host (Ubuntu 22.04): held packages kept, removed ones dropped, rpm falls through', { skip: noDash }, async () => {
  const run = await agent(fakeHost(ubuntuArm), ['--dry-run', '--tag', 'arm pilot']);

  assert.equal(run.code, 0, run.stderr);
  const r = parseProtocol5(run.stdout);
  assert.deepEqual(
    [r.host, r.arch, r.kernel, r.system, r.packager, r.tag, r.site],
    ['arm-wn03.example.org', 'aarch64', '5.15.0-97-generic', 'Ubuntu 22.04', 'dpkg', 'arm pilot', undefined],
  );
  assert.deepEqual(r.packages, parseProtocol5(fixture('ubuntu2204-arm64.txt')).packages);
  assert.ok(r.packages.some((p) => p.name === 'linux-image-generic'));
});

test('without hostname -f the host name comes from uname -n', { skip: noDash }, async () => {
  const run = await agent(fakeHost({ ...ubuntuArm, fqdn: null }), ['--dry-run']);

  assert.equal(parseProtocol5(run.stdout).host, 'shortname');
});

test('a host whose package tool fails sends the header only and exits non-zero', { skip: noDash }, async () => {
  const { rpm: _rpm, ...broken } = rocky;
  const run = await agent(fakeHost(broken), ['--dry-run']);

  assert.equal(run.code, 1);
  assert.match(run.stderr, /^vigil-agent: no package list/);
  assert.equal(parseProtocol5(run.stdout).packagesMissing, true);
});

test('bad usage exits 2 with one line', { skip: noDash }, async () => {
  const env = fakeHost(rocky);

  const results = await Promise.all([agent(env, ['--random-delay', 'soon', '--dry-run']), agent(env, ['--bogus']), agent(env, [])]);

  assert.deepEqual(
    results.map((r) => r.code),
    [2, 2, 2],
  );
  for (const r of results) assert.equal(r.stderr.trim().split('\n').length, 1);
});

interface Received {
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
async function withServer(status: number, reply: string, fn: (url: string, received: Received[]) => Promise<void>): Promise<void> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, received);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test('the report and the bearer token reach the server intact; the token is never printed', { skip: noCurl }, async () => {
  const token = 'vgl_et_3f9c2a7d5e1b4c8a9d0e6f7a1b2c3d4e';
  const env = fakeHost(rocky);
  writeFileSync(join(root, 'agent.token'), `${token}\n`, { mode: 0o600 });
  const expected = (await agent(env, ['--dry-run', '--site', 'EXAMPLE-SITE'])).stdout;

  await withServer(200, 'OK\n', async (url, received) => {
    const run = await agent({ ...env, VIGIL_URL: url }, ['--site', 'EXAMPLE-SITE', '--token-file', join(root, 'agent.token'), '--random-delay', '1']);

    assert.equal(run.code, 0, run.stderr);
    assert.equal(received.length, 1);
    assert.equal(received[0]?.url, '/feed/?protocol=5');
    assert.equal(received[0]?.headers.authorization, `Bearer ${token}`);
    assert.equal(received[0]?.body.toString('utf8'), expected);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(token));
  });
});

test('VIGIL_TOKEN works as well, and result lines after OK go to stdout', { skip: noCurl }, async () => {
  const lines = 'openssl-libs\t1:3.0.7-24.el9\tx86_64\tCVE-2023-5678\tEGI-Critical\n';

  await withServer(200, `OK\n${lines}`, async (url, received) => {
    const run = await agent({ ...fakeHost(rocky), VIGIL_URL: `${url}/feed/`, VIGIL_TOKEN: 'tok-1' }, []);

    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, lines);
    assert.deepEqual([received[0]?.url, received[0]?.headers.authorization], ['/feed/?protocol=5', 'Bearer tok-1']);
  });
});

test('a server answering 500 makes the agent exit non-zero with one line', { skip: noCurl }, async () => {
  await withServer(500, 'ERROR', async (url) => {
    const run = await agent({ ...fakeHost(rocky), VIGIL_URL: url }, []);

    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'vigil-agent: server answered HTTP 500: ERROR\n');
  });
});

test('a 200 without OK is a failure too', { skip: noCurl }, async () => {
  await withServer(200, '<html>proxy login</html>', async (url) => {
    const run = await agent({ ...fakeHost(rocky), VIGIL_URL: url }, []);

    assert.equal(run.code, 1);
    assert.match(run.stderr, /without OK/);
  });
});

// Against Vigil itself: the agent tells a report held for review (a typo in the site name) and a
// refused one apart from success, with the server's reason (issue 11, item 8).
test("Vigil's reasons reach the agent: held for review exits 3, refused exits 1, each with why", { skip: noCurl }, async () => {
  const { testApp } = await import('./support/app.js');
  const { admin } = await import('./support/seed.js');
  const t = await testApp();
  try {
    const ngi = await t.services.registry.createNgi(admin, { name: 'NGI_AGENT' });
    const site = await t.services.registry.createSite(admin, { name: 'AGENT-SITE', ngiId: ngi.ngiId });
    const { token } = await t.services.reporters.createToken(admin, site.siteId, 'agent-test');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const env = { ...fakeHost(rocky), VIGIL_URL: url };

    const stored = await agent({ ...env, VIGIL_TOKEN: token }, []);
    const typo = await agent({ ...env, VIGIL_TOKEN: token }, ['--site', 'AGENT-SITF']);
    const anonymous = await agent(env, ['--site', 'AGENT-SITE']);

    assert.deepEqual([stored.code, stored.stderr], [0, '']);
    assert.deepEqual(
      [typo.code, typo.stderr],
      [3, 'vigil-agent: the server holds the report for review, not stored: enrolment token of site AGENT-SITE, report names site AGENT-SITF\n'],
    );
    assert.deepEqual(
      [anonymous.code, anonymous.stderr],
      [1, 'vigil-agent: server answered HTTP 500: ERROR (site AGENT-SITE accepts only enrolled reporters)\n'],
    );
  } finally {
    await t.close();
  }
});

// Issue 10, class 6: on Oracle Linux /etc/redhat-release says RHEL; the agent sends the other signs.
test('an Oracle Linux host: the agent sends /etc/oracle-release and os-release, and the server tells Oracle from RHEL', { skip: noDash }, async () => {
  const oracle: FakeHost = {
    arch: 'x86_64',
    kernel: '5.15.0-200.131.27.el8uek.x86_64',
    fqdn: 'ol8.example.org',
    rpm: 'bash\t(none):4.4.20-4.el8_6\tx86_64\noraclelinux-release\t8:8.9-1.0.8.el8\tx86_64\n',
    etc: {
      'redhat-release': 'Red Hat Enterprise Linux release 8.9 (Ootpa)\n',
      'oracle-release': 'Oracle Linux Server release 8.9\n',
      'os-release': 'NAME="Oracle Linux Server"\nVERSION="8.9"\nID="ol"\nID_LIKE="fedora"\nVERSION_ID="8.9"\n',
    },
  };

  const run = await agent(fakeHost(oracle), ['--dry-run']);

  assert.equal(run.code, 0, run.stderr);
  const r = parseProtocol5(run.stdout);
  assert.deepEqual(
    [r.system, r.oracleRelease, r.osRelease],
    ['Red Hat Enterprise Linux release 8.9 (Ootpa)', 'Oracle Linux Server release 8.9', { id: 'ol', versionId: '8.9', name: 'Oracle Linux Server' }],
  );
  const keys = run.stdout
    .split('\n#\n')[0]!
    .split('\n')
    .slice(1)
    .map((l) => l.slice(0, l.indexOf(':')));
  assert.deepEqual(keys, [...keys].sort(), 'header keys in byte order, as the Pakiti client sends them');
  const os = identifyHost({ ...r, packages: r.packages });
  assert.equal(os.known && os.key, 'oracle:8');
  const systemOnly = identifyHost({ system: r.system, packager: r.packager });
  assert.equal(systemOnly.known && systemOnly.key, 'rhel:8', 'the system line alone says RHEL');
});
