// Security headers on the UI, the API and the API reference (issue 9): no framing, no MIME
// sniffing, a Content Security Policy without inline script.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testApp, type TestApp } from '../../test/support/app.js';

let t: TestApp;

before(async () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'vigil-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Vigil</title>');
  t = await testApp({ config: { webRoot } });
});
after(() => t.close());

const pages = [
  ['the web UI', '/'],
  ['a page of the web UI', '/registry/sites'],
  ['an API answer', '/api/v1/auth/session'],
  ['an API 404', '/api/v1/nope'],
  ['the API reference', '/api/docs/'],
  ['an API reference asset', '/api/docs/static/swagger-ui.css'],
  ['the OpenAPI document', '/openapi.json'],
] as const;

for (const [what, url] of pages) {
  test(`${what} (${url}) cannot be framed or sniffed and carries a Content Security Policy`, async () => {
    const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });

    const csp = String(res.headers['content-security-policy']);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(csp, /(^|;)default-src 'self'(;|$)/);
    assert.match(csp, /(^|;)frame-ancestors 'none'(;|$)/);
    assert.match(csp, /(^|;)script-src 'self'(;|$)/);
    assert.match(csp, /(^|;)object-src 'none'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });
}

test("only the API reference may apply Swagger UI's one inline style, by its hash", async () => {
  const ui = await t.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
  const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });

  assert.match(String(ui.headers['content-security-policy']), /(^|;)style-src 'self'(;|$)/);
  assert.match(String(docs.headers['content-security-policy']), /(^|;)style-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
});
