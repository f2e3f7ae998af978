// Set-up for the patch monitoring browser tests and screenshots: a tag made days ago (the demo
// tags at start-up, so no deadline has passed yet) and reports that land in quarantine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, type VigilServer } from './server.js';

const DAY = 86_400_000;

/** Moves a CVE's risk tags `days` back in time, as if the CSIRT had tagged it then. */
export function backdateTag(server: VigilServer, cve: string, days: number): void {
  const db = new Database(server.sqlitePath);
  try {
    db.pragma('busy_timeout = 5000');
    const at = new Date(Date.now() - days * DAY).toISOString();
    const changed = db.prepare('update cve_tag set tagged_at = ? where cve_id = ?').run(at, cve).changes;
    if (changed === 0) throw new Error(`${cve} has no risk tag to move back`);
  } finally {
    db.close();
  }
}

/** Sends a JSON host report naming `site`, with a site's enrolment token or none; a site that does not
 *  exist, or is not the token's, sends it to quarantine. */
export async function sendReport(server: VigilServer, host: string, site: string, token?: string): Promise<{ outcome: string }> {
  const report = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/reports/vigil-report-debian12.json'), 'utf8')) as Record<string, unknown>;
  const response = await fetch(`${server.url}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ ...report, host, site }),
  });
  if (!response.ok) throw new Error(`report for ${host}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<{ outcome: string }>;
}

/** Sends a Pakiti-protocol report that names no site (quarantined). */
export async function sendSitelessReport(server: VigilServer, host: string): Promise<void> {
  const body = readFileSync(join(ROOT, 'test/fixtures/reports/rocky9-wn.txt'), 'utf8')
    .replace(/^site: .*\n/m, '')
    .replace(/^host: .*$/m, `host: ${host}`);
  const response = await fetch(`${server.url}/feed/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  if ((await response.text()) !== 'OK\n') throw new Error(`the site-less report for ${host} was refused`);
}
