// vigil agent report: the JSON host report, for hosts that have Node.js (hosts without it use
// agent/vigil-agent, the POSIX sh agent).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { arch, hostname, release } from 'node:os';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { InvalidError } from '../../core/errors.js';
import { JSON_REPORT_SCHEMA, type JsonReport } from '../../lib/pakiti-report/index.js';
import { printJson } from '../output.js';

const run = promisify(execFile);
const VERSION = '1';
const UNAME_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', ppc64: 'ppc64le', s390x: 's390x' };

/** `/etc/redhat-release`, else `$NAME $VERSION_ID` from os-release: what the Pakiti client sends. */
async function systemString(etc: string): Promise<string> {
  const redhat = await readFile(`${etc}/redhat-release`, 'utf8').catch(() => '');
  if (redhat.trim()) return redhat.trim();
  const osRelease = await readFile(`${etc}/os-release`, 'utf8').catch(() => '');
  const field = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(osRelease)?.[1];
  const name = field('NAME');
  if (!name) throw new InvalidError('cannot tell the OS: no /etc/redhat-release and no NAME in /etc/os-release');
  return [name, field('VERSION_ID')].filter(Boolean).join(' ');
}

/** What else tells the distribution apart (Oracle Linux's /etc/redhat-release says RHEL): the
 *  os-release fields and /etc/oracle-release, sent beside the system line. */
async function releaseSigns(etc: string): Promise<Pick<JsonReport, 'osRelease' | 'oracleRelease'>> {
  const osRelease = await readFile(`${etc}/os-release`, 'utf8').catch(() => '');
  const field = (k: string, max: number) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(osRelease)?.[1]?.slice(0, max);
  const [id, versionId, name] = [field('ID', 64), field('VERSION_ID', 64), field('NAME', 200)];
  const oracle = (await readFile(`${etc}/oracle-release`, 'utf8').catch(() => '')).split('\n')[0]?.trim().slice(0, 200);
  return {
    ...(id || versionId || name ? { osRelease: { ...(id ? { id } : {}), ...(versionId ? { versionId } : {}), ...(name ? { name } : {}) } } : {}),
    ...(oracle ? { oracleRelease: oracle } : {}),
  };
}

async function packages(): Promise<{ packager: 'rpm' | 'dpkg'; list: JsonReport['packages'] }> {
  const rpm = await run('rpm', ['-qa', '--queryformat', '%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\n'], { maxBuffer: 64 * 1024 * 1024 }).catch(
    () => undefined,
  );
  const rpmLines = rpm?.stdout.split('\n').filter((l) => l && !l.startsWith('gpg-pubkey\t')) ?? [];
  if (rpmLines.length > 0) {
    return {
      packager: 'rpm',
      list: rpmLines.map((l) => l.split('\t')).map(([name, version, a]) => ({ name: name!, version: version!.replace(/^\(none\):/, '0:'), arch: a! })),
    };
  }
  const dpkg = await run('dpkg-query', ['-W', '--showformat=${Status}=${Package}\\t${Version}\\t${Architecture}\\n'], { maxBuffer: 64 * 1024 * 1024 }).catch(
    () => undefined,
  );
  const installed = dpkg?.stdout.split('\n').filter((l) => /^(install|hold) ok installed=/.test(l)) ?? [];
  if (installed.length === 0) throw new InvalidError('neither rpm nor dpkg-query listed any package');
  return {
    packager: 'dpkg',
    list: installed.map((l) => l.slice(l.indexOf('=') + 1).split('\t')).map(([name, version, a]) => ({ name: name!, version: version!, arch: a! })),
  };
}

export function register(program: Command): void {
  const agent = program.command('agent').description('the host agent (hosts without Node.js: agent/vigil-agent)');
  agent
    .command('report')
    .description("collect this host's packages and send a vigil.report/1 to the server")
    .requiredOption('--url <url>', 'server base URL, e.g. https://vigil.example.org')
    .option('--site <site>', 'site name (the enrolment token decides when one is given)')
    .option('--token-file <file>', 'file holding the site enrolment token (vgr_…)', '/etc/vigil/agent.token')
    .option('--tag <tag>', 'free tag, e.g. worker-nodes')
    .option('--etc <dir>', 'where the release files are', '/etc')
    .option('--dry-run', 'print the report instead of sending it')
    .action(async (opts: { url: string; site?: string; tokenFile: string; tag?: string; etc: string; dryRun?: boolean }) => {
      const { packager, list } = await packages();
      const report: JsonReport = {
        schema: JSON_REPORT_SCHEMA,
        host: hostname(),
        ...(opts.site ? { site: opts.site } : {}),
        system: await systemString(opts.etc),
        ...(await releaseSigns(opts.etc)),
        kernel: release(),
        arch: UNAME_ARCH[arch()] ?? arch(),
        packager,
        packages: list,
        agent: { name: 'vigil-agent-node', version: VERSION },
        ...(opts.tag ? { tag: opts.tag } : {}),
      } as JsonReport;
      if (opts.dryRun) return printJson(report);
      const token = (await readFile(opts.tokenFile, 'utf8').catch(() => '')).trim();
      const res = await fetch(new URL('/api/v1/reports', opts.url), {
        method: 'POST',
        body: JSON.stringify(report),
        signal: AbortSignal.timeout(120_000),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      const answer = (await res.json().catch(() => ({}))) as { outcome?: string; detail?: string; reason?: string };
      if (!res.ok) throw new Error(`the server refused the report (HTTP ${res.status}): ${answer.detail ?? 'no detail'}`);
      // Held for review is no success: the host is not monitored until someone releases it.
      if (answer.outcome === 'quarantined') throw new Error(`the server holds the report for review, not stored: ${answer.reason ?? 'no reason given'}`);
      process.stderr.write(`report ${answer.outcome ?? 'sent'}: ${list.length} packages\n`);
    });
}
