// Issue 12, the federation asks three sites for something: the CSIRT opens one task for three
// sites in the browser; each site's security contacts receive the e-mail (read from a real SMTP
// server in this process); one site acknowledges in the browser, one by replying to the e-mail
// (through Vigil's own SMTP listener), the third misses its deadline — the escalation sweep run
// as of a time past it (`vigil tasks escalate --at`, the injected clock) — and is escalated to its
// NGI security officer; the response-time dashboard then shows the three sites' times.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test, after } from 'node:test';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { hasChromium, newContext, signIn, SKIP_REASON, useServerAndBrowser } from './browser.js';
import { apiSession, ROOT } from './server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { freePort, vigilCommand } from '../support/server-process.js';

const TITLE = 'Send us the authentication logs of your CEs';

interface Site {
  siteId: string;
  name: string;
  ngiName: string;
}
interface Task {
  taskId: string;
  status: string;
  dueAt: string;
  scope: { id: string; name: string };
  escalation: { ngiAt: string | null };
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('site tasks in the browser, with e-mail both ways', { concurrency: false }, () => {
  let sink: SmtpSink | undefined;
  let inboundPort = 0;
  const env = useServerAndBrowser({
    env: async () => {
      sink = await startSmtpSink();
      inboundPort = await freePort();
      return {
        VIGIL_SMTP_URL: sink.url,
        VIGIL_SMTP_REQUIRE_TLS: 'false',
        VIGIL_MAIL_FROM: 'EGI CSIRT via Vigil <vigil@csirt.example.org>',
        VIGIL_MAIL_REPLY_ADDRESS: 'vigil@tasks.example.org',
        VIGIL_INBOUND_SMTP_PORT: String(inboundPort),
        VIGIL_OUTBOX_POLL_MS: '200',
      };
    },
  });
  after(() => sink?.close());

  /** The parsed messages the SMTP server received for an address about this test's task (the demo's own tasks send mail too). */
  const mailTo = async (address: string) =>
    (await Promise.all(sink!.received.filter((m) => m.to.map((t) => t.toLowerCase()).includes(address.toLowerCase())).map((m) => simpleParser(m.raw)))).filter(
      (m) => (m.subject ?? '').includes(TITLE),
    );

  test('three sites: acknowledged in the browser, by e-mail reply, and escalated when late; the dashboard shows the times', async (t) => {
    if (!hasChromium) return t.skip(SKIP_REASON);
    const url = env.server.url;
    const admin = await apiSession(url, 'admin');
    // Three sites of NGI_NORDICA: the demo site officer's, and two others.
    const sites = (await admin.get<{ items: Site[] }>('/api/v1/sites?limit=200')).items.filter((s) => s.ngiName === 'NGI_NORDICA');
    const tromso = sites.find((s) => s.name === 'NOR-TROMSO-GRID')!;
    const [second, third] = sites.filter((s) => s !== tromso);
    assert.ok(tromso && second && third, 'the demo has three Nordica sites');
    // Each site has a security officer with an address of their own.
    const officerOf = new Map<string, string>();
    for (const site of [second!, third!]) {
      const email = `officer@${site.name.toLowerCase()}.example.org`;
      await admin.post('/api/v1/people', {
        name: `Officer of ${site.name}`,
        email,
        grant: { role: 'site-security-officer', scopeType: 'site', scopeId: site.siteId },
      });
      officerOf.set(site.siteId, email);
    }

    // The CSIRT opens one task for the three sites.
    const csirt = await (await newContext(env.browser)).newPage();
    await signIn(csirt, url, 'csirt');
    await csirt.goto(`${url}/tasks/new`);
    await csirt.getByLabel('Find sites').fill('NOR-');
    for (const site of [tromso, second!, third!]) await csirt.getByRole('checkbox', { name: site.name, exact: true }).check();
    await csirt.getByLabel('Type').selectOption('csirt-request');
    await csirt.getByLabel('Priority').selectOption('urgent');
    await csirt.getByLabel('Title').fill(TITLE);
    await csirt.getByLabel('Description').fill('Please send /var/log/secure of every CE for 1–3 December.');
    await csirt.getByLabel('TLP').selectOption('AMBER');
    await csirt.getByRole('button', { name: 'Open 3 tasks' }).click();
    await csirt.getByText('Opened 3 tasks.').waitFor();

    const tasks = (await admin.get<{ items: Array<Task & { title: string }> }>('/api/v1/tasks?limit=200')).items.filter((x) => x.title === TITLE);
    const taskOf = (site: Site) => tasks.find((x) => x.scope.id === site.siteId)!;
    assert.equal(tasks.length, 3);

    // Each site's security officer receives the e-mail, under its TLP, with a reply address.
    const tromsoOfficer = (await apiSession(url, 'site-officer')).me;
    const emailOf = async (personId: string) => (await admin.get<{ email: string | null }>(`/api/v1/people/${personId}`)).email;
    const tromsoEmail = await emailOf(tromsoOfficer.personId);
    assert.ok(tromsoEmail, 'the demo site officer has an address');
    for (const address of [tromsoEmail!, ...officerOf.values()]) {
      const [mail] = await until(`the e-mail to ${address}`, async () => {
        const got = await mailTo(address);
        return got.length ? got : undefined;
      });
      assert.match(mail!.subject ?? '', /^\[TLP:AMBER\] Send us the authentication logs/);
      assert.match(mail!.text ?? '', /^TLP:AMBER\./);
      assert.match(mail!.replyTo?.text ?? '', /^vigil\+t\.[0-9a-f]{32}\.[a-z2-7]+@tasks\.example\.org$/);
    }

    // NOR-TROMSO-GRID acknowledges in the browser.
    const officer = await (await newContext(env.browser)).newPage();
    await signIn(officer, url, 'site-officer');
    await officer.goto(`${url}/tasks`);
    await officer.getByRole('link', { name: TITLE }).click();
    const answer = officer.getByRole('form', { name: 'Acknowledge or resolve the task' });
    await answer.getByRole('button', { name: 'Acknowledge' }).click();
    await officer.getByText('Acknowledged.').waitFor();

    // The second site answers by replying to the e-mail, through Vigil's SMTP listener.
    const secondEmail = officerOf.get(second!.siteId)!;
    const [original] = await mailTo(secondEmail);
    const reply = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true } as never);
    await reply.sendMail({
      from: secondEmail,
      to: original!.replyTo!.text,
      subject: `Re: ${original!.subject}`,
      inReplyTo: original!.messageId,
      text: `We are collecting them now.\n\nOn 3 Dec 2026, at 10:00, Vigil wrote:\n> ${original!.text?.split('\n')[0]}\n`,
    });
    reply.close();
    const viaMail = await until('the reply to acknowledge the task', async () => {
      const task = await admin.get<Task & { events: Array<{ kind: string; via: string; body: string | null }> }>(`/api/v1/tasks/${taskOf(second!).taskId}`);
      return task.status === 'acknowledged' ? task : undefined;
    });
    const ack = viaMail.events.find((e) => e.kind === 'acknowledged')!;
    assert.equal(ack.via, 'email');
    assert.equal(ack.body, 'We are collecting them now.', 'the quoted text is stripped');

    // The third misses its deadline: the sweep as of a minute past it escalates it to NGI_NORDICA.
    const late = taskOf(third!);
    const at = new Date(Date.parse(late.dueAt) + 60_000).toISOString();
    const sweep = spawnSync(process.execPath, [...vigilCommand, 'tasks', 'escalate', '--at', at, '--json'], {
      cwd: ROOT,
      env: { ...process.env, VIGIL_SQLITE_PATH: env.server.sqlitePath, VIGIL_LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    assert.equal(sweep.status, 0, sweep.stderr);
    assert.equal(JSON.parse(sweep.stdout)['escalated-ngi'], 1, 'only the unanswered task is escalated');
    const ngiOfficer = await apiSession(url, 'ngi-officer');
    const ngiOfficerAddress = await emailOf(ngiOfficer.me.personId);
    const [escalation] = await until(
      `the escalation e-mail to the NGI security officer ${ngiOfficerAddress} (received: ${sink!.received.map((m) => m.to.join(',')).join(' ')})`,
      async () => {
        const got = (await mailTo(ngiOfficerAddress!)).filter((m) => /^\[TLP:AMBER\] Overdue: /.test(m.subject ?? ''));
        return got.length ? got : undefined;
      },
    );
    assert.match(escalation!.text ?? '', new RegExp(`overdue at ${third!.name}.*escalated to the NGI security officer`));
    // The NGI officer sees it escalated on the task page.
    const ngiPage = await (await newContext(env.browser)).newPage();
    await signIn(ngiPage, url, 'ngi-officer');
    await ngiPage.goto(`${url}/tasks/${late.taskId}`);
    await ngiPage
      .getByText(/escalated to the NGI security officer/)
      .first()
      .waitFor();
    // It answers, late.
    await admin.post(`/api/v1/tasks/${late.taskId}/acknowledge`, { comment: 'Sorry, we were on holiday.' });

    // The dashboard shows the three sites' times.
    await csirt.goto(`${url}/tasks/response-times?taskType=csirt-request`);
    const slowest = csirt.getByRole('table', { name: /slowest sites/i });
    for (const site of [tromso, second!, third!]) await slowest.getByRole('row').filter({ hasText: site.name }).waitFor();
    const board = await admin.get<{ slowest: Array<{ siteName: string; acknowledge: { n: number; medianMinutes: number | null } }> }>(
      '/api/v1/response-times?taskType=csirt-request',
    );
    for (const site of [tromso, second!, third!]) {
      const row = board.slowest.find((r) => r.siteName === site.name);
      assert.equal(row?.acknowledge.n, 1, `${site.name}'s answer is counted once`);
      assert.ok(row!.acknowledge.medianMinutes !== null && row!.acknowledge.medianMinutes < 60, `${site.name} answered within the hour`);
    }
  });
});
