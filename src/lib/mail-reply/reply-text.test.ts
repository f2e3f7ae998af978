import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { isAutoReply, replyText } from './reply-text.js';

const NBSP = '\u00a0';

const cases: [string, string, string][] = [
  ['Gmail attribution', 'Thanks, done.\n\nOn Tue, 1 Dec 2026 at 10:00, Vigil <vigil@tasks.example.org> wrote:\n\n> Please patch ce01.\n', 'Thanks, done.'],
  [
    'attribution wrapped over two lines',
    'Done.\n\nOn Tue, 1 Dec 2026 at 10:00, Vigil Notifications <\nvigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org> wrote:\n\nNo quote follows.',
    'Done.',
  ],
  [
    'attribution wrapped over three lines',
    'Done.\nOn Tue, 1 Dec 2026 at 10:00,\nVigil Notifications\n<vigil@tasks.example.org> wrote:\nNo quote follows.',
    'Done.',
  ],
  ['Apple Mail attribution', 'Fixed.\n\nOn 1 Dec 2026, at 10:00, Vigil <vigil@tasks.example.org> wrote:\n\nNo quote follows.', 'Fixed.'],
  ['Thunderbird attribution', 'Fixed.\n\nOn 01/12/2026 10:00, Vigil wrote:\nNo quote follows.', 'Fixed.'],
  ['German attribution', 'Erledigt.\n\nAm Di., 1. Dez. 2026 um 10:00 Uhr schrieb Vigil <vigil@tasks.example.org>:\nKein Zitat.', 'Erledigt.'],
  [
    'French attribution with a no-break space',
    `C'est fait.\n\nLe mar. 1 déc. 2026 à 10:00, Vigil <vigil@tasks.example.org> a écrit${NBSP}:\nRien.`,
    "C'est fait.",
  ],
  ['Spanish attribution', 'Hecho.\n\nEl mar, 1 dic 2026 a las 10:00, Vigil (<vigil@tasks.example.org>) escribió:\nNada.', 'Hecho.'],
  ['Italian attribution', 'Fatto.\n\nIl giorno mar 1 dic 2026 alle ore 10:00 Vigil <vigil@tasks.example.org> ha scritto:\nNiente.', 'Fatto.'],
  ['Dutch attribution', 'Gedaan.\n\nOp di 1 dec. 2026 om 10:00 schreef Vigil <vigil@tasks.example.org>:\nNiets.', 'Gedaan.'],
  [
    'Outlook original message',
    'Patched.\n\n-----Original Message-----\nFrom: Vigil <vigil@tasks.example.org>\nSent: Tuesday, December 1, 2026 10:00 AM\nTo: Bob\nSubject: [Vigil] Patch ce01\n\nPlease patch ce01.',
    'Patched.',
  ],
  [
    'Outlook header block under underscores',
    'Patched.\n\n________________________________\nFrom: Vigil <vigil@tasks.example.org>\nSent: Tuesday, December 1, 2026 10:00\nTo: Bob\nSubject: [Vigil] Patch ce01\n\nPlease patch ce01.',
    'Patched.',
  ],
  [
    'Outlook header block alone',
    'Patched.\n\nFrom: Vigil <vigil@tasks.example.org>\nSent: Tuesday, December 1, 2026 10:00\nTo: Bob\nSubject: [Vigil] Patch ce01\n\nPlease patch ce01.',
    'Patched.',
  ],
  [
    'German Outlook header block',
    'Gepatcht.\n\nVon: Vigil <vigil@tasks.example.org>\nGesendet: Dienstag, 1. Dezember 2026 10:00\nAn: Bob\nBetreff: [Vigil] Patch ce01\n\nBitte patchen.',
    'Gepatcht.',
  ],
  ['header block on one line', 'Patched.\nFrom: Vigil Sent: Tuesday, December 1, 2026 To: Bob Subject: [Vigil] Patch ce01', 'Patched.'],
  [
    'a rule from HTML above the header block',
    'Patched.\n\n--------------------------------------------------------------------------------\n\nFrom: Vigil\nSent: Tuesday\nTo: Bob\nSubject: x',
    'Patched.',
  ],
  ['RFC 3676 signature', 'Patched.\n\n-- \nBob Admin\nSite Security Officer, EXAMPLE-SITE', 'Patched.'],
  ['bare dash-dash signature', 'Patched.\n--\nBob', 'Patched.'],
  ['Sent from my iPhone', 'Yes, done\n\nSent from my iPhone\n\n> On 1 Dec 2026, at 10:00, Vigil wrote:\n> Please patch.', 'Yes, done'],
  ['Italian mobile footer', 'Fatto\n\nInviato da iPhone', 'Fatto'],
  ['German mobile footer', 'Erledigt\n\nVon meinem iPhone gesendet', 'Erledigt'],
  ['quote without attribution', 'Done\n> Please patch ce01.\nMore below', 'Done'],
  ['CRLF and lone CR line endings', 'First line\r\nsecond line\r\rthird\r\n\r\nOn Tue, 1 Dec 2026, Vigil wrote:\r\n> x', 'First line\nsecond line\n\nthird'],
  ['image placeholders and runs of blank lines', 'Done.\n\n\n\n\nBob [cid:image001.png@01DB43A1.5F2E8C40]\n', 'Done.\n\nBob'],
  ['bottom-posted reply', 'On Tue, 1 Dec 2026, Vigil wrote:\n> Please patch ce01.\n>\n\nDone, rebooted.\n\n-- \nBob', 'Done, rebooted.'],
  ['nothing but a quote', '> Please patch ce01.\n', ''],
  ['nothing but a signature', '-- \nBob', ''],
  // Not markers: these stay.
  ['a sentence opening with On', 'On Monday we patched all 3 hosts.\nNothing else to report.', 'On Monday we patched all 3 hosts.\nNothing else to report.'],
  ['"wrote:" without a date', 'On reflection, as Bob wrote:\nit can wait.', 'On reflection, as Bob wrote:\nit can wait.'],
  ['a From: line in the text', 'From: the logs, 2 hosts failed.\nRetrying.', 'From: the logs, 2 hosts failed.\nRetrying.'],
  [
    'From: and Subject: lines without a date',
    'The alert:\nFrom: nagios@ce01\nSubject: ce01 down\nis fixed.',
    'The alert:\nFrom: nagios@ce01\nSubject: ce01 down\nis fixed.',
  ],
  ['a rule between paragraphs', 'Step one\n---\nStep two', 'Step one\n---\nStep two'],
  ['a greater-than sign inside a line', 'Kernel is now >= 6.1.', 'Kernel is now >= 6.1.'],
];
for (const [name, input, want] of cases) {
  test(`replyText: ${name}`, () => assert.equal(replyText(input), want));
}

// Fragments real replies are made of, so random texts hit the markers and their near misses.
const fragment = fc.constantFrom(
  'Done.',
  'On Tue, 1 Dec 2026 at 10:00, Vigil <',
  'vigil@tasks.example.org> wrote:',
  '> quoted',
  '>',
  '-- ',
  '--',
  '---',
  'Sent from my iPhone',
  'From: Vigil',
  'Sent: Tuesday',
  'Subject: x',
  '________________________________',
  '',
  '   ',
  'On Monday 3 hosts',
  'Am 1.12.2026 schrieb Vigil:',
);
const reply = fc.array(fragment, { maxLength: 20 }).chain((lines) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => lines.join(eol)));

test('the new text holds no quoted line and no carriage return', () => {
  fc.assert(
    fc.property(reply, (text) => {
      const result = replyText(text);

      assert.ok(!result.includes('\r'));
      assert.ok(result.split('\n').every((line) => !line.trimStart().startsWith('>')));
    }),
  );
});

test('the new text of a new text is itself', () => {
  fc.assert(
    fc.property(reply, (text) => {
      const once = replyText(text);

      assert.equal(replyText(once), once);
    }),
  );
});

test('a long line without markers is returned quickly', () => {
  const line = `On ${'1 '.repeat(200_000)}x`;
  const started = performance.now();

  assert.equal(replyText(line), line);

  assert.ok(performance.now() - started < 500);
});

const autoCases: [string, Map<string, unknown> | Record<string, unknown>, boolean][] = [
  ['Auto-Submitted: auto-replied', new Map([['auto-submitted', 'auto-replied']]), true],
  ['Auto-Submitted: auto-generated with a parameter', { 'Auto-Submitted': 'auto-generated; owner-email="x@example.org"' }, true],
  ['Auto-Submitted: no', { 'Auto-Submitted': 'no' }, false],
  ['Auto-Submitted: No, in any case', { 'auto-submitted': ' No ' }, false],
  ['X-Autoreply: yes', { 'X-Autoreply': 'yes' }, true],
  ['X-Autorespond with a subject', new Map([['x-autorespond', 'Out of office']]), true],
  ['Precedence: bulk', { Precedence: 'bulk' }, true],
  ['Precedence: junk', { precedence: 'JUNK' }, true],
  ['Precedence: list', { precedence: 'list' }, true],
  ['Precedence: first-class', { precedence: 'first-class' }, false],
  [
    'a delivery status report, as mailparser parses it',
    new Map([['content-type', { value: 'multipart/report', params: { 'report-type': 'delivery-status' } }]]),
    true,
  ],
  ['a delivery status report, as a header line', { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b"' }, true],
  ['a repeated header, one value automatic', { 'auto-submitted': ['no', 'auto-replied'] }, true],
  [
    'an ordinary reply',
    new Map<string, unknown>([
      ['content-type', { value: 'multipart/alternative', params: {} }],
      ['subject', 'Re: x'],
    ]),
    false,
  ],
  ['no headers', {}, false],
];
for (const [name, headers, want] of autoCases) {
  test(`isAutoReply: ${name} is ${want}`, () => assert.equal(isAutoReply(headers), want));
}
