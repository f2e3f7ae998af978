// The shared bounded SAX reader, on its own; GOCDB and OVAL run their hostile-input suites
// through it too (src/lib/gocdb/hostile.test.ts, src/lib/oval/hostile.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { createDetachingInterner, detach, streamXml, type XmlLimits } from './bounded-sax.js';

const LIMITS: XmlLimits = { maxDepth: 8, maxElements: 1000, maxTokenChars: 1024, maxBytes: 1 << 20 };
const OPTIONS = { label: 'test XML' };

async function events(input: Parameters<typeof streamXml>[0], options: Parameters<typeof streamXml>[3] = OPTIONS, limits = LIMITS): Promise<string[]> {
  const out: string[] = [];
  await streamXml(
    input,
    limits,
    { open: (n, a) => out.push(`<${n}${a.id ? ` ${a.id}` : ''}>`), close: (n) => out.push(`</${n}>`), text: (t) => out.push(t) },
    options,
  );
  return out;
}

test('elements, attributes and text arrive in order; self-closing tags open and close', async () => {
  assert.deepEqual(await events('<r><a id="1">x</a><b/></r>'), ['<r>', '<a 1>', 'x', '</a>', '<b>', '</b>', '</r>']);
});

test('local names drop the namespace prefix when asked', async () => {
  assert.deepEqual(await events('<o:r xmlns:o="urn:x"><o:a/></o:r>', { ...OPTIONS, localNames: true }), ['<r>', '<a>', '</a>', '</r>']);
});

test('a DOCTYPE is refused naming the kind of document', async () => {
  await assert.rejects(
    events('<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'),
    (e: unknown) => e instanceof InvalidError && /DOCTYPE is not allowed \(no DTDs or entities in test XML\) at line 1/.test(e.message),
  );
});

test('the root element is checked when one is required', async () => {
  await assert.rejects(events('<html/>', { ...OPTIONS, root: 'results' }), /root element is <html>, expected <results>/);
});

test('depth, element, attribute, token and byte limits each fail with their own message', async () => {
  await assert.rejects(events(`<r>${'<a>'.repeat(10)}`), (e: unknown) => e instanceof TooLargeError && /nested deeper than 8/.test(e.message));
  await assert.rejects(events(`<r>${'<a/>'.repeat(1001)}</r>`), /more than 1000 elements/);
  await assert.rejects(events('<r a="1" b="2" c="3"/>', OPTIONS, { ...LIMITS, maxAttributes: 2 }), /more than 2 attributes on one element/);
  await assert.rejects(events(`<r>${'x'.repeat(10_000)}</r>`, { ...OPTIONS, tokenUnit: 'bytes' }), /over 1024 bytes at line 1/);
  await assert.rejects(events(`<r>${'é'.repeat(600_000)}</r>`), /document is over 1048576 bytes/);
});

test('invalid UTF-8 split across chunks is refused naming the bytes', async () => {
  await assert.rejects(
    events([Buffer.from('<r>'), Buffer.from([0xe2, 0x82]), Buffer.from('A</r>')]),
    (e: unknown) => e instanceof InvalidError && /invalid UTF-8 in bytes/.test(e.message),
  );
});

test("stop() ends reading early and closes the caller's stream", async () => {
  const state = { pulled: 0, closed: false };
  function* chunks() {
    try {
      yield '<r><a/>';
      for (;;) {
        state.pulled++;
        yield '<b/>'.repeat(1000);
      }
    } finally {
      state.closed = true;
    }
  }
  let seen = 0;

  await streamXml(chunks(), { ...LIMITS, maxElements: 1e9 }, { open: () => seen++, close() {}, text() {} }, { ...OPTIONS, stop: () => seen > 2500 });

  assert.deepEqual([state.pulled, state.closed], [3, true]);
});

test('detached strings do not keep the parsed chunk alive', () => {
  const chunk = 'y'.repeat(1 << 20) + 'oval:com.redhat.rhsa:tst:20243061001' + 'z'.repeat(100);
  const slice = chunk.slice(1 << 20, (1 << 20) + 36);
  const intern = createDetachingInterner();

  assert.equal(detach(slice), slice);
  assert.equal(intern(slice), slice);
  assert.equal(intern.known(`${slice}`), intern(slice));
  assert.equal(intern.known('oval:absent'), undefined);
});

const quoting = [
  ['an unclosed tag', '<results><s3cr3t-name>', /invalid XML at line 1, column \d+: unclosed tag$/],
  ['a closing tag that matches nothing', '<results><a></s3cr3t-name></results>', /invalid XML at line 1, column \d+: unexpected close tag$/],
  ['an encoding', '<?xml version="1.0" encoding="s3cr3t"?><results/>', /unsupported encoding \(test XML is UTF-8\)/],
  ['a root element', '<s3cr3t/>', /root element is another, expected <results>/],
] as const;
for (const [what, xml, message] of quoting) {
  test(`with quoteDocument false, the message for ${what} names the position, not the text`, async () => {
    await assert.rejects(
      events(xml, { ...OPTIONS, root: 'results', quoteDocument: false }),
      (e: Error) => message.test(e.message) && !e.message.includes('s3cr3t'),
    );
  });
}
