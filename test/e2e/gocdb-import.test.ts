// Importing GOCDB XML through the import page, then finding a site's security officer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { hasChromium, newContext, signIn, SKIP_REASON, useServerAndBrowser } from './browser.js';
import { ROOT } from './server.js';

const FEDERATION_XML = join(ROOT, 'test/fixtures/gocdb/federation.xml');

describe('GOCDB import page', { concurrency: false }, () => {
  // An empty registry, as on a new deployment: the fixture federation is the first import.
  const env = useServerAndBrowser({ demo: false });

  test("an administrator previews and imports federation.xml, then finds NOR-TROMSO-GRID's security officer", async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, 'admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'GOCDB import' }).click();

    await page.getByLabel('GOCDB XML file').setInputFiles(FEDERATION_XML);
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    const preview = page.getByRole('table', { name: 'Import summary (dry run)' });
    await preview.waitFor();
    const previewSites = await preview
      .getByRole('row', { name: /^Sites/ })
      .getByRole('cell')
      .first()
      .innerText();
    assert.ok(Number(previewSites) > 0, `the preview adds sites (added: ${previewSites})`);

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const summary = page.getByRole('table', { name: 'Import summary', exact: true });
    await summary.waitFor();
    assert.equal(
      await summary
        .getByRole('row', { name: /^Sites/ })
        .getByRole('cell')
        .first()
        .innerText(),
      previewSites,
      'the import adds what the preview announced',
    );
    assert.ok(
      Number(
        await summary
          .getByRole('row', { name: /^People/ })
          .getByRole('cell')
          .first()
          .innerText(),
      ) > 0,
      'people were added',
    );

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sites' }).click();
    await page.getByLabel('Filter sites').fill('TROMSO');
    const sites = page.getByRole('table', { name: /Sites matching “TROMSO”/ });
    await sites.waitFor();
    assert.equal(await sites.getByRole('row').count(), 2, 'one header row and one site');
    await sites.getByRole('link', { name: 'NOR-TROMSO-GRID' }).click();

    await page.getByRole('heading', { level: 1, name: 'NOR-TROMSO-GRID' }).waitFor();
    const security = page.getByRole('region', { name: 'Security contacts' });
    await security.getByRole('link', { name: 'Ingrid Solberg' }).waitFor();
    assert.equal(
      await security.getByRole('link', { name: 'ingrid.solberg@arctic-uni.example.net' }).getAttribute('href'),
      'mailto:ingrid.solberg@arctic-uni.example.net',
    );
    const contacts = page.getByRole('table', { name: 'Contacts of NOR-TROMSO-GRID, by role' });
    assert.equal(
      await contacts
        .getByRole('rowgroup', { name: /Site security officer/ })
        .getByRole('link', { name: 'Ingrid Solberg' })
        .count(),
      1,
    );

    await security.getByRole('link', { name: 'Ingrid Solberg' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ingrid Solberg' }).waitFor();
    const roles = page.getByRole('table', { name: 'Roles held by Ingrid Solberg' });
    assert.equal(await roles.getByRole('row', { name: /Site security officer.*NOR-TROMSO-GRID/ }).count(), 1);
    await context.close();
  });

  test("a file that is not GOCDB XML is refused with the server's explanation", async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const context = await newContext(env.browser);
    const page = await context.newPage();
    await signIn(page, env.server.url, 'admin');
    await page.goto(`${env.server.url}/admin/import`);

    await page.getByLabel('GOCDB XML file').setInputFiles({ name: 'notes.xml', mimeType: 'application/xml', buffer: Buffer.from('<results><SITE') });
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.notEqual((await alert.innerText()).trim(), '');
    assert.equal(await page.getByRole('table', { name: /Import summary/ }).count(), 0);
    await context.close();
  });
});
