import { test, expect, Page } from '@playwright/test';
import { ChildProcess, execFile, spawn } from 'child_process';
import { promisify } from 'util';
import { SMTPServer } from 'smtp-server';
import { simpleParser, ParsedMail } from 'mailparser';
import { DB } from './database';
import { isoDay, login, open } from './helpers';

// The daily e-mail digest: people give their address and language on their account page;
// a second server on the same database, given an SMTP server (a real one here, started by
// this spec, reading what it receives) and a time already past, sends each of them their
// My work at once, in their language; a second run the same day sends nothing; a person
// who clears the address gets none.

const BIN = '../target/release/rogatory';
const PORT = Number(process.env.E2E_PORT ?? 3100);
const MAILING_PORT = PORT + 8;
const SMTP_PORT = PORT + 9;
const MAILING = `http://127.0.0.1:${MAILING_PORT}`;

/** An SMTP server that keeps every message it is given. */
async function sink(): Promise<{ server: SMTPServer; mail: ParsedMail[] }> {
  const mail: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then(
        (m) => {
          mail.push(m);
          done();
        },
        (e) => done(e),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(SMTP_PORT, '127.0.0.1', resolve));
  return { server, mail };
}

/** The server that sends the digests; resolves once it answers. */
async function mailingServer(): Promise<ChildProcess> {
  const args = [
    '--database-url', DB, 'serve', '--port', String(MAILING_PORT), '--site-root', '../target/site',
    '--smtp-url', `smtp://127.0.0.1:${SMTP_PORT}`, '--mail-from', 'Registry <registry@prosecutor.example>',
    '--digest-at', '00:00', '--public-url', MAILING, '--sign-ins-per-minute', '600',
  ];
  const server = spawn(BIN, args, { stdio: 'ignore' });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${MAILING}/login`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  server.kill();
  throw new Error('the mailing server did not start');
}

async function stop(server: ChildProcess) {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

/** `rogatory digest` on the suite's database; its last line. (Not run synchronously:
 * the sink it sends to answers from this process.) */
async function digestNow(...extra: string[]): Promise<string> {
  const args = ['--database-url', DB, 'digest', '--smtp-url', `smtp://127.0.0.1:${SMTP_PORT}`, ...extra];
  const { stdout } = await promisify(execFile)(BIN, args);
  return stdout.trim().split('\n').pop() ?? '';
}

/** What My work lists for the signed-in person: each list's count and references. */
async function myWork(page: Page) {
  await open(page, '/my-work');
  const lists: Record<string, string[]> = {};
  for (const id of ['overdue', 'due-soon', 'reminders-due', 'execution-late']) {
    lists[id] = await page.locator(`#${id} tbody tr td:first-child a`).allTextContents();
  }
  const needsAction = Number((await page.locator('#my-work-count').textContent({ timeout: 10_000 })) ?? 0);
  return { lists, needsAction };
}

/** Sets the address and language on the account page, the way a person does. */
async function setDigest(page: Page, email: string, language: string) {
  await open(page, '/account');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Language of the digest').selectOption({ label: language });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
}

async function waitForMail(mail: ParsedMail[], n: number) {
  await expect.poll(() => mail.length, { timeout: 20_000 }).toBe(n);
}

function to(m: ParsedMail): string {
  return Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? '');
}

test('each person receives their My work by e-mail once a day, in their language', async ({ page }) => {
  test.setTimeout(120_000);

  // the clerk: a bad address is refused in the browser, a good one saved
  await login(page, 'clerk');
  await open(page, '/account');
  await expect(page.locator('#digest-hint')).toContainText('This server does not send e-mail yet');
  await page.getByLabel('E-mail address').fill('clerk@');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('#digest-email-error')).toHaveText('Enter an e-mail address such as name@example.org.');
  await expect(page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');
  await setDigest(page, 'clerk@prosecutor.example', 'English');
  await page.reload();
  await expect(page.getByLabel('E-mail address')).toHaveValue('clerk@prosecutor.example');
  const clerkWork = await myWork(page);
  expect(clerkWork.lists.overdue.length).toBeGreaterThan(0);

  // the administrator reads Russian
  await login(page, 'admin');
  await setDigest(page, 'admin@prosecutor.example', 'Русский');
  const adminWork = await myWork(page);

  const { server: smtp, mail } = await sink();
  let mailing: ChildProcess | undefined;
  try {
    // a server started after the day's time sends the day's digests at once
    mailing = await mailingServer();
    await waitForMail(mail, 2);
    const clerk = mail.find((m) => to(m).includes('clerk@prosecutor.example'))!;
    const admin = mail.find((m) => to(m).includes('admin@prosecutor.example'))!;
    expect(clerk.from?.text).toBe('"Registry" <registry@prosecutor.example>');
    expect(clerk.subject).toMatch(new RegExp(`^Rogatory: ${clerkWork.needsAction} items need action on \\d{4}-\\d{2}-\\d{2}$`));
    const text = clerk.text ?? '';
    expect(text).toContain('Hello, Demo Clerk.');
    const titles: Record<string, string> = {
      overdue: 'Overdue',
      'due-soon': 'Due within 14 days',
      'reminders-due': 'Reminders due',
      'execution-late': "Past the executor's deadline",
    };
    for (const [id, refs] of Object.entries(clerkWork.lists)) {
      if (refs.length === 0) {
        expect(text).not.toContain(`\n${titles[id]} (`);
        continue;
      }
      // the list's heading with its count, then each of its requests with a link
      const section = text.split(`\n${titles[id]} (${refs.length})\n`)[1]?.split('\n\n')[0];
      expect(section, `${titles[id]} in:\n${text}`).toBeDefined();
      for (const ref of refs) expect(section).toContain(`- ${ref} · `);
      expect(section!.match(new RegExp(`${MAILING}/requests/\\d+`, 'g'))?.length).toBe(refs.length);
    }
    expect(text).toContain(`${MAILING}/my-work`);

    expect(admin.subject).toMatch(new RegExp(`^Rogatory, \\d{2}\\.\\d{2}\\.\\d{4}: требуют действий — ${adminWork.needsAction}$`));
    expect(admin.text).toContain('Здравствуйте, Demo Administrator.');
    if (adminWork.lists.overdue.length > 0) expect(admin.text).toContain(`Просрочено (${adminWork.lists.overdue.length})`);

    // the account page of a server that sends mail says when
    await login(page, 'clerk'); // the session is the database's: it holds on either server
    await page.goto(`${MAILING}/account`);
    await expect(page.locator('#digest-hint')).toContainText('Each day at 00:00');

    // the same day again, from the command line: nothing more
    expect(await digestNow()).toMatch(/: digests sent 0, /);
    expect(mail.length).toBe(2);

    // the clerk clears the address: the next day only the administrator's goes out
    await login(page, 'clerk');
    await setDigest(page, '', 'English');
    expect(await digestNow('--today', isoDay(1))).toMatch(/: digests sent 1, /);
    await waitForMail(mail, 3);
    expect(to(mail[2])).toContain('admin@prosecutor.example');
  } finally {
    if (mailing) await stop(mailing);
    await new Promise((r) => smtp.close(() => r(null)));
  }
});
