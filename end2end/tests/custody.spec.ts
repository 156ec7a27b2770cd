import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { rmSync } from 'fs';
import { isoDay, login, open } from './helpers';

// Custody: a clerk records a person's provisional arrest on an extradition request and
// sees the deadline count down, on the request page, the Custody page and the
// dashboard's tile, in red at five days or fewer; an administrator's country profile
// overrides the treaty's limit. The countdown runs on a server of its own whose clock is
// fixed (`serve --today`) and moved between runs, on its own SQLite file.

const BIN = '../target/release/rogatory';
const PORT = Number(process.env.E2E_PORT ?? 3100) + 7;
const BASE = `http://127.0.0.1:${PORT}`;
const FILE = `.tmp/custody-clock-${PORT}.db`;
const DB = `sqlite://${FILE}`;

async function noSeriousViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), what).toEqual([]);
}

/** The server on the clock's database, as if today were `today`; resolves once it answers. */
async function serveOn(today: string): Promise<ChildProcess> {
  const args = ['--database-url', DB, 'serve', '--port', String(PORT), '--site-root', '../target/site', '--today', today];
  const server = spawn(BIN, [...args, '--sign-ins-per-minute', '600'], { stdio: 'ignore' });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${BASE}/login`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  server.kill();
  throw new Error('the fixed-clock server did not start');
}

async function stop(server: ChildProcess) {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

async function call(page: Page, fn: string, data: object) {
  const res = await page.request.post(`${BASE}/api/${fn}`, { data });
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

async function openAt(page: Page, path: string) {
  await page.goto(`${BASE}${path}`);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

test('a provisional arrest counts down to the extradition request\'s deadline, on a fixed clock', async ({ page }) => {
  test.setTimeout(180_000);
  rmSync(FILE, { force: true });
  execFileSync(BIN, ['--database-url', DB, 'user', 'add', '--admin', '--name', 'Clock Admin', 'clockadmin'], {
    input: 'clock admin passphrase\n',
  });
  let server = await serveOn('2026-03-02');
  try {
    const signIn = await page.request.post(`${BASE}/api/login`, { data: { username: 'clockadmin', password: 'clock admin passphrase' } });
    expect(signIn.status()).toBe(200);
    const requestId: number = await call(page, 'create_request', {
      input: {
        reference: 'EXT-CLOCK-1', their_reference: '', direction: 'outgoing', country: 'LT', counterpart_authority: '',
        kind: 'extradition', legal_basis: 'european_extradition_1957', legal_basis_note: '', offence: 'fraud',
        case_number: '', case_title: '', summary: '', urgent: true, start_date: '2026-02-27', due_on: '',
        status: 'sent', answered_on: '', refusal_ground: '', refusal_note: '',
      },
    });
    const added = await call(page, 'add_person', {
      input: { name: 'Шчарбакоў Дзмітрый', other_names: 'Shcharbakou Dzmitry', birth: '1990', citizenship: 'BY', documents: '', notes: '' },
      anyway: true,
    });
    const personId: number = added.Added;
    await call(page, 'link_person', { request_id: requestId, person_id: personId, role: 'wanted' });

    // nobody held yet: the tile says so
    await openAt(page, '/');
    await expect(page.locator('#custody-tile')).toHaveText('0 in custody pending extradition; no deadline running');

    // recorded on the request page; a date after the (fixed) today is refused at its field
    await openAt(page, `/requests/${requestId}`);
    const line = page.locator(`.linked-persons li[data-person="${personId}"] .custody-line`);
    await line.getByRole('button', { name: 'Record custody' }).click();
    await expect(line.getByLabel('Kind of detention')).toHaveValue('provisional_arrest');
    await line.getByLabel('Arrested on').fill('2026-03-03');
    await line.getByRole('button', { name: 'Save custody' }).click();
    await expect(line.locator(`#custody-${personId}-arrested-on-error`)).toHaveText('The date cannot be in the future.');
    await line.getByLabel('Arrested on').fill('2026-03-01');
    await line.getByRole('button', { name: 'Save custody' }).click();
    // European Convention on Extradition: 18 days from the arrest
    const deadline = line.locator('.deadline');
    await expect(deadline).toHaveText('Extradition request to arrive by 2026-03-19 — 17 days left');
    await expect(deadline).not.toHaveClass(/urgent/);

    await openAt(page, '/custody');
    const row = page.locator('table.custody tr[data-request="EXT-CLOCK-1"]');
    await expect(row.locator('td.days')).toHaveText('17 days left');
    await expect(row).not.toHaveClass(/urgent/);
    await expect(page.locator('.counted-from')).toHaveText('Days counted from 2026-03-02.');
    await openAt(page, '/');
    await expect(page.locator('#custody-tile')).toHaveText('1 in custody pending extradition; next deadline in 17 days');
    await expect(page.locator('#custody-tile')).not.toHaveClass(/urgent/);

    // thirteen days later: four days left, in red everywhere
    await stop(server);
    server = await serveOn('2026-03-15');
    await openAt(page, `/requests/${requestId}`);
    await expect(deadline).toHaveText('Extradition request to arrive by 2026-03-19 — 4 days left');
    await expect(deadline).toHaveClass(/urgent/);
    await openAt(page, '/custody');
    await expect(row.locator('td.days')).toHaveText('4 days left');
    await expect(row).toHaveClass(/urgent/);
    await noSeriousViolations(page, 'the custody page with an urgent deadline');
    await openAt(page, '/');
    await expect(page.locator('#custody-tile')).toHaveText('1 in custody pending extradition; next deadline in 4 days');
    await expect(page.locator('#custody-tile')).toHaveClass(/urgent/);
    await page.locator('#custody-tile').click();
    await expect(page).toHaveURL(`${BASE}/custody`);

    // past the deadline
    await stop(server);
    server = await serveOn('2026-03-21');
    await openAt(page, '/custody');
    await expect(row.locator('td.days')).toHaveText('2 days past the deadline');

    // Lithuania's own limit of 30 days, set in its profile, replaces the treaty's 18
    await openAt(page, '/countries/LT');
    await expect(page.locator('#country-name')).toHaveText('Lithuania');
    await expect(page.locator('tr[data-basis="european_extradition_1957"] [data-col="arrest"]')).toHaveText('18');
    await page.getByRole('button', { name: 'Edit profile' }).click();
    await page.getByLabel("This country's days for the extradition request to arrive").fill('0');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.locator('#profile-arrest-days-error')).toHaveText('Enter a whole number of days from 1 to 365, or leave it empty.');
    await page.getByLabel("This country's days for the extradition request to arrive").fill('30');
    await page.getByLabel('Central authority').fill("Prosecutor General's Office of the Republic of Lithuania");
    await page.getByLabel('European Convention on Extradition (1957)').check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.locator('#profile-authority')).toHaveText("Prosecutor General's Office of the Republic of Lithuania");
    await expect(page.locator('#profile-treaties')).toHaveText('European Convention on Extradition (1957)');
    await expect(page.locator('tr[data-basis="european_extradition_1957"] [data-col="arrest"]')).toHaveText("30 (this country's)");
    await expect(page.locator('table.country-figures tr[data-row="sought"] td').first()).toHaveText('1');
    await noSeriousViolations(page, 'a country page');
    await openAt(page, '/custody');
    await expect(row.locator('td.days')).toHaveText('10 days left');
    await expect(row).not.toHaveClass(/urgent/);

    // surrendered: off the list, the tile back to nobody
    await openAt(page, `/requests/${requestId}`);
    await line.getByRole('button', { name: 'Change custody' }).click();
    await line.getByLabel('Surrendered on').fill('2026-03-20');
    await line.getByRole('button', { name: 'Save custody' }).click();
    await expect(line.locator('.custody-summary')).toHaveText('Provisional arrest since 2026-03-01 · surrendered on 2026-03-20');
    await openAt(page, '/custody');
    await expect(page.getByText('Nobody is held on any request.')).toBeVisible();
  } finally {
    await stop(server);
  }
});

test('the demo\'s custody page lists the held persons by days left, and a viewer cannot record custody', async ({ page }) => {
  await login(page, 'viewer');
  await open(page, '/custody');
  const days = await page.locator('table.custody tbody tr').evaluateAll((rows) =>
    rows.map((r) => r.getAttribute('data-days-left')).filter((d) => d !== null && d !== '').map(Number),
  );
  expect(days.length).toBeGreaterThanOrEqual(4);
  expect(days).toEqual([...days].sort((a, b) => a - b));
  // the nearest deadline is the tile's
  await open(page, '/');
  await expect(page.locator('#custody-tile')).toContainText(`next deadline in ${days[0]} days`);
  // the three Lithuanian extraditions: three persons sought and surrendered
  await open(page, '/countries/LT');
  await expect(page.locator('table.country-figures tr[data-row="surrendered"] td').first()).toHaveText('3');
  // read-only for a viewer, in the page and in the API
  const res = await page.request.post('/api/save_custody', {
    data: { request_id: 1, person_id: 1, version: null, input: { kind: 'other', arrested_on: isoDay(-1), decided_on: '', released_on: '', surrendered_on: '', notes: '' } },
  });
  expect(res.status()).toBe(403);
  await open(page, '/persons/4');
  await page.locator('table.person-requests a').first().click();
  await expect(page.locator('.custody-line .custody-summary')).toBeVisible();
  await expect(page.getByRole('button', { name: /custody/i })).toHaveCount(0);
});
