import assert from 'node:assert/strict';
import test from 'node:test';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { parseInbound } from './inbound-message.js';

const REPLY_TO = 'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org';
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=';

const mail = (...lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

const gmail = mail(
  `Delivered-To: ${REPLY_TO}`,
  'Received: by mail-wr1-f41.google.com with SMTP id 5b1f17b1804b1-43; Tue, 01 Dec 2026 02:14:09 -0800 (PST)',
  'MIME-Version: 1.0',
  'References: <0193a5f2-0000-7000-8000-000000000001@tasks.example.org>',
  ' <0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b@tasks.example.org>',
  'In-Reply-To: <0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b@tasks.example.org>',
  'From: Alice Example <alice.example@gmail.com>',
  'Date: Tue, 1 Dec 2026 11:14:09 +0100',
  'Message-ID: <CAF=k3Rz0QxJ7u8V+2m@mail.gmail.com>',
  'Subject: =?UTF-8?Q?Re:_[Vigil]_Patch_CVE-2026-1234_on_ce01_=E2=80=93_site_A?=',
  `To: Vigil <${REPLY_TO}>`,
  'Cc: Site A security <security@site-a.example.net>, Alice <ALICE.EXAMPLE@gmail.com>',
  'Content-Type: multipart/alternative; boundary="000000000000a1b2c3"',
  '',
  '--000000000000a1b2c3',
  'Content-Type: text/plain; charset="UTF-8"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Patched and rebooted, ce01 now runs 6.1.0-28.',
  '',
  'On Tue, 1 Dec 2026 at 10:00, Vigil <vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nf=',
  'nhrfzlnkl4zq5t@tasks.example.org> wrote:',
  '',
  '> Please patch CVE-2026-1234 on ce01 by 3 Dec 2026.',
  '>',
  '',
  '--000000000000a1b2c3',
  'Content-Type: text/html; charset="UTF-8"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<div dir=3D"ltr">Patched and rebooted, ce01 now runs 6.1.0-28.</div><br><div c=',
  'lass=3D"gmail_quote"><div dir=3D"ltr" class=3D"gmail_attr">On Tue, 1 Dec 2026 at =',
  '10:00, Vigil &lt;<a href=3D"mailto:x">x</a>&gt; wrote:<br></div><blockquote class=3D"gmail_quote">Please patch CVE-2026-1234.</blockquote></div>',
  '',
  '--000000000000a1b2c3--',
  '',
);

// Outlook sends HTML only when the person's client is set to it, with the signature logo inline.
const outlookHtmlOnly = mail(
  'From: "Admin, Bob" <Bob.Admin@site-b.example.net>',
  `To: "Vigil" <${REPLY_TO}>`,
  'Subject: RE: [Vigil] Patch CVE-2026-1234 on ce01',
  'Thread-Topic: [Vigil] Patch CVE-2026-1234 on ce01',
  'Date: Tue, 1 Dec 2026 10:20:31 +0000',
  'Message-ID: <AM0PR07MB61234A5B6C7D8E9F0@AM0PR07MB6123.eurprd07.prod.outlook.com>',
  'In-Reply-To: <0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b@tasks.example.org>',
  'Content-Language: en-GB',
  'X-MS-Has-Attach: yes',
  'Content-Type: multipart/related; boundary="_004_AM0PR07MB6123_"; type="text/html"',
  'MIME-Version: 1.0',
  '',
  '--_004_AM0PR07MB6123_',
  'Content-Type: text/html; charset="us-ascii"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3Dus-ascii"></head>',
  '<body><div class=3D"WordSection1"><p class=3D"MsoNormal">Done, ce01 is patched and rebooted.</p>',
  '<p class=3D"MsoNormal">&nbsp;</p><p class=3D"MsoNormal">Bob<img src=3D"cid:image001.png@01DB43A1.5F2E8C40"></p>',
  '<div id=3D"mail-editor-reference-message-container"><div>',
  '<div style=3D"border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">',
  '<p class=3D"MsoNormal"><b>From:</b> Vigil &lt;vigil@tasks.example.org&gt;<br>',
  '<b>Sent:</b> Tuesday, December 1, 2026 10:00<br>',
  '<b>To:</b> Admin, Bob &lt;Bob.Admin@site-b.example.net&gt;<br>',
  '<b>Subject:</b> [Vigil] Patch CVE-2026-1234 on ce01</p></div>',
  '<p class=3D"MsoNormal">Please patch CVE-2026-1234 on ce01.</p></div></div></div></body></html>',
  '',
  '--_004_AM0PR07MB6123_',
  'Content-Type: image/png; name="image001.png"',
  'Content-Description: image001.png',
  'Content-Disposition: inline; filename="image001.png"; size=68',
  'Content-ID: <image001.png@01DB43A1.5F2E8C40>',
  'Content-Transfer-Encoding: base64',
  '',
  PNG_BASE64,
  '',
  '--_004_AM0PR07MB6123_--',
  '',
);

// Thunderbird quotes above the reply by default, and adds the signature after "-- ".
const thunderbird = mail(
  'Message-ID: <5e0c3a4d-9f1b-4c2e-8a7d-3b6f1e2d4c5a@site-c.example.net>',
  'Date: Tue, 1 Dec 2026 10:42:00 +0100',
  'MIME-Version: 1.0',
  'User-Agent: Mozilla Thunderbird',
  'Subject: Re: [Vigil] Patch CVE-2026-1234 on ce01',
  `To: ${REPLY_TO}`,
  'From: Carol Operator <carol@site-c.example.net>',
  'In-Reply-To: <0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b@tasks.example.org>',
  'Content-Type: multipart/mixed; boundary="------------Xy7Qm2"',
  '',
  'This is a multi-part message in MIME format.',
  '--------------Xy7Qm2',
  'Content-Type: text/plain; charset=UTF-8; format=flowed',
  'Content-Transfer-Encoding: 7bit',
  '',
  'On 01/12/2026 10:00, Vigil wrote:',
  '> Please patch CVE-2026-1234 on ce01.',
  '',
  'Installed linux-image-6.1.0-28, rebooted at 10:42 UTC. Log attached.',
  '',
  '-- ',
  'Carol Operator',
  'Site C operations',
  '',
  '--------------Xy7Qm2',
  'Content-Type: text/plain; charset=UTF-8; name="ce01-patch.log"',
  'Content-Disposition: attachment; filename="ce01-patch.log"',
  'Content-Transfer-Encoding: base64',
  '',
  'Y2UwMTogbGludXgtaW1hZ2UtNi4xLjAtMjggaW5zdGFsbGVkLCByZWJvb3RlZCAxMDo0MiBVVEMK',
  '',
  '--------------Xy7Qm2--',
  '',
);

const iphone = mail(
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  'From: Dan <dan@site-d.example.net>',
  'Mime-Version: 1.0 (1.0)',
  'Subject: Re: [Vigil] Patch CVE-2026-1234 on ce01',
  'Date: Tue, 1 Dec 2026 10:05:12 +0100',
  'Message-Id: <A1B2C3D4-E5F6-4789-ABCD-EF0123456789@site-d.example.net>',
  'References: <0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b@tasks.example.org>',
  'In-Reply-To: <0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b@tasks.example.org>',
  `To: ${REPLY_TO}`,
  'X-Mailer: iPhone Mail (22B91)',
  '',
  'On it, done by tonight',
  '',
  'Sent from my iPhone',
  '',
  '> On 1 Dec 2026, at 10:00, Vigil <vigil@tasks.example.org> wrote:',
  '>=20',
  '> =EF=BB=BFPlease patch CVE-2026-1234 on ce01.',
  '',
);

// GMX in German, ISO-8859-1: the umlauts must come out right.
const german = mail(
  'From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <juergen.mueller@site-e.example.de>',
  `To: ${REPLY_TO}`,
  'Subject: AW: [Vigil] Patch CVE-2026-1234 auf ce01',
  'Date: Tue, 1 Dec 2026 11:00:00 +0100',
  'Message-ID: <trinity-7a1b2c3d@3c-app-gmx-bs01>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=ISO-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Erledigt, alle Knoten sind gepatcht.',
  'Gr=FC=DFe',
  'J=FCrgen',
  '',
  'Am 01.12.2026 um 10:00 schrieb Vigil <vigil@tasks.example.org>:',
  '> Bitte CVE-2026-1234 auf ce01 patchen.',
  '',
);

const outOfOffice = mail(
  'From: Erin <erin@site-f.example.net>',
  `To: ${REPLY_TO}`,
  'Subject: Automatic reply: [Vigil] Patch CVE-2026-1234 on ce01',
  'Auto-Submitted: auto-replied',
  'X-Auto-Response-Suppress: All',
  'Message-ID: <ooo-1@site-f.example.net>',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'I am out of the office until 7 December with no access to e-mail.',
  '',
);

const bounce = mail(
  'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.site-g.example.net>',
  'To: vigil@tasks.example.org',
  'Subject: Undelivered Mail Returned to Sender',
  'Message-Id: <20261201100001.ABC12@mx.site-g.example.net>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="B0UNCE"',
  '',
  '--B0UNCE',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  "I'm sorry to have to inform you that your message could not be delivered.",
  '',
  '<gone@site-g.example.net>: user unknown',
  '',
  '--B0UNCE',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.site-g.example.net',
  '',
  'Final-Recipient: rfc822; gone@site-g.example.net',
  'Action: failed',
  'Status: 5.1.1',
  '',
  '--B0UNCE',
  'Content-Type: text/rfc822-headers',
  '',
  'From: Vigil <vigil@tasks.example.org>',
  'To: gone@site-g.example.net',
  'Subject: [Vigil] Patch CVE-2026-1234 on ce01',
  '',
  '--B0UNCE--',
  '',
);

test('a Gmail reply yields its sender, recipients, threading headers and new text', async () => {
  const message = await parseInbound(gmail);

  assert.equal(message.messageId, '<CAF=k3Rz0QxJ7u8V+2m@mail.gmail.com>');
  assert.equal(message.inReplyTo, '<0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b@tasks.example.org>');
  assert.deepEqual(message.references, [
    '<0193a5f2-0000-7000-8000-000000000001@tasks.example.org>',
    '<0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b@tasks.example.org>',
  ]);
  assert.equal(message.from, 'alice.example@gmail.com');
  assert.equal(message.fromName, 'Alice Example');
  assert.deepEqual(message.to, [REPLY_TO, 'security@site-a.example.net', 'ALICE.EXAMPLE@gmail.com']);
  assert.equal(message.subject, 'Re: [Vigil] Patch CVE-2026-1234 on ce01 – site A');
  assert.match(message.text, /^Patched and rebooted.*\n\nOn Tue, 1 Dec 2026 at 10:00, Vigil/);
  assert.equal(message.newText, 'Patched and rebooted, ce01 now runs 6.1.0-28.');
  assert.equal(message.autoReply, false);
  assert.deepEqual(message.attachments, []);
});

test('an Outlook reply in HTML only is read as text, its header block cut and its logo kept', async () => {
  const message = await parseInbound(outlookHtmlOnly);

  assert.equal(message.from, 'Bob.Admin@site-b.example.net');
  assert.equal(message.fromName, 'Admin, Bob');
  assert.equal(message.references.length, 0);
  assert.match(message.text, /Please patch CVE-2026-1234 on ce01\./);
  assert.equal(message.newText, 'Done, ce01 is patched and rebooted.\n\nBob');
  assert.equal(message.attachments.length, 1);
  assert.equal(message.attachments[0]!.filename, 'image001.png');
  assert.equal(message.attachments[0]!.contentType, 'image/png');
  assert.deepEqual(message.attachments[0]!.content, Buffer.from(PNG_BASE64, 'base64'));
  assert.equal(message.attachments[0]!.size, 68);
});

test('a Thunderbird reply below the quote keeps the reply, drops the signature and carries the log', async () => {
  const message = await parseInbound(thunderbird);

  assert.equal(message.newText, 'Installed linux-image-6.1.0-28, rebooted at 10:42 UTC. Log attached.');
  assert.equal(message.fromName, 'Carol Operator');
  assert.deepEqual(
    message.attachments.map(({ filename, contentType, size }) => ({ filename, contentType, size })),
    [{ filename: 'ce01-patch.log', contentType: 'text/plain', size: 57 }],
  );
  assert.equal(message.attachments[0]!.content.toString('utf8'), 'ce01: linux-image-6.1.0-28 installed, rebooted 10:42 UTC\n');
});

test('an iPhone reply stops at "Sent from my iPhone"', async () => {
  const message = await parseInbound(iphone);

  assert.equal(message.newText, 'On it, done by tonight');
  assert.equal(message.messageId, '<A1B2C3D4-E5F6-4789-ABCD-EF0123456789@site-d.example.net>');
});

test('a German reply in ISO-8859-1 is decoded and cut at its attribution', async () => {
  const message = await parseInbound(german);

  assert.equal(message.fromName, 'Jürgen Müller');
  assert.equal(message.newText, 'Erledigt, alle Knoten sind gepatcht.\nGrüße\nJürgen');
  assert.equal(message.autoReply, false);
});

test('an out-of-office notice is an automatic reply', async () => {
  const message = await parseInbound(outOfOffice);

  assert.equal(message.autoReply, true);
  assert.match(message.newText, /out of the office/);
});

test('a bounce is an automatic reply and names no reply address', async () => {
  const message = await parseInbound(bounce);

  assert.equal(message.autoReply, true);
  assert.equal(message.from, 'MAILER-DAEMON@mx.site-g.example.net');
  assert.deepEqual(message.to, ['vigil@tasks.example.org']);
  assert.match(message.text, /could not be delivered/);
});

test('recipients come from every Delivered-To and from groups, each once', async () => {
  const raw = mail(
    `Delivered-To: ${REPLY_TO}`,
    'Delivered-To: security@site-a.example.net',
    'From: Alice <alice@site-a.example.net>',
    'To: Site A team: ops@site-a.example.net, Security@site-a.example.net;',
    'Subject: Re: x',
    '',
    'Done.',
  );

  const message = await parseInbound(raw);

  assert.deepEqual(message.to, ['ops@site-a.example.net', 'Security@site-a.example.net', REPLY_TO]);
});

test('a message over the byte limit is refused before parsing', async () => {
  await assert.rejects(parseInbound(gmail, { maxBytes: gmail.length - 1 }), TooLargeError);
  await parseInbound(gmail, { maxBytes: gmail.length });
});

test('a message with more attachments than allowed is refused', async () => {
  await assert.rejects(parseInbound(thunderbird, { maxAttachments: 0 }), TooLargeError);
});

test('a message of thousands of MIME parts is refused', async () => {
  const parts = Array.from({ length: 500 }, (_, i) => `--P\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
  const raw = Buffer.from(`From: x@example.org\r\nContent-Type: multipart/mixed; boundary="P"\r\n\r\n${parts}--P--\r\n`);

  await assert.rejects(parseInbound(raw), TooLargeError);
});

test('an empty message or one without a From address is invalid', async () => {
  await assert.rejects(parseInbound(Buffer.alloc(0)), (err) => err instanceof InvalidError && /empty/.test(err.message));
  await assert.rejects(parseInbound(Buffer.from('just some bytes, no headers')), InvalidError);
  await assert.rejects(parseInbound(mail('From: undisclosed-recipients:;', 'Subject: x', '', 'body')), InvalidError);
});
