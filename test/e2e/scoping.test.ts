// Scopes in the UI: a site administrator cannot find or open a person of another NGI.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasChromium, newContext, signIn, SKIP_REASON, useServerAndBrowser } from './browser.js';
import { apiSession } from './server.js';

interface Page<T> {
  items: T[];
  total: number;
}
interface Role {
  personId: string;
  personName: string;
  role: string;
  scopeType: string;
  scopeId: string;
}
interface Site {
  siteId: string;
  ngiId: string;
  ngiName: string;
}

/** Someone whose every role is at an NGI, or a site of an NGI, where the site admin holds nothing. */
async function personOfAnotherNgi(url: string) {
  const admin = await apiSession(url, 'admin');
  const siteAdmin = await apiSession(url, 'site-admin');
  const sites = (await admin.get<Page<Site>>('/api/v1/sites?limit=200')).items;
  const ngiOfSite = new Map(sites.map((s) => [s.siteId, s.ngiId]));
  const ngiOf = (r: { scopeType: string; scopeId: string }) =>
    r.scopeType === 'ngi' ? r.scopeId : r.scopeType === 'site' ? ngiOfSite.get(r.scopeId) : undefined;
  const ownNgis = new Set(siteAdmin.me.grants.map(ngiOf).filter(Boolean));
  const roles = (await admin.get<Page<Role>>('/api/v1/roles?limit=200')).items;
  const byPerson = new Map<string, Role[]>();
  for (const r of roles) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
  for (const [personId, held] of byPerson) {
    if (personId === siteAdmin.me.personId) continue;
    const ngis = held.map(ngiOf);
    if (ngis.every((n) => n !== undefined && !ownNgis.has(n))) {
      const ngiName = sites.find((s) => s.ngiId === ngis[0])?.ngiName ?? ngis[0];
      return { personId, name: held[0]!.personName, ngiName };
    }
  }
  throw new Error('the demo federation has no person confined to another NGI');
}

describe('what a site administrator sees', { concurrency: false }, () => {
  const env = useServerAndBrowser();

  test('a person of another NGI is not in the people list and their page answers not found', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const other = await personOfAnotherNgi(env.server.url);
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, 'site-admin');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('table', { name: /^People \(\d+\)$/ }).waitFor();
    await page.getByLabel('Filter people').fill(other.name);
    const people = page.getByRole('table', { name: new RegExp(`^People matching “${other.name}”`) });
    await people.waitFor();

    assert.equal(await people.getByRole('link', { name: other.name }).count(), 0, `${other.name} (${other.ngiName}) is not listed`);
    assert.match(await people.getByRole('caption').innerText(), /\(0\)$/);

    await page.goto(`${env.server.url}/registry/people/${other.personId}`);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 1, name: other.name }).count(), 0);
    await context.close();
  });

  test('the same person is listed for a federation administrator (the search itself works)', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const other = await personOfAnotherNgi(env.server.url);
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, 'admin');

    await page.goto(`${env.server.url}/registry/people`);
    await page.getByLabel('Filter people').fill(other.name);
    const people = page.getByRole('table', { name: new RegExp(`^People matching “${other.name}”`) });
    await people.waitFor();

    await people.getByRole('link', { name: other.name }).click();
    await page.getByRole('heading', { level: 1, name: other.name }).waitFor();
    await context.close();
  });
});
