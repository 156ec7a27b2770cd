import { test, expect, Page } from '@playwright/test';
import { readFile } from 'fs/promises';
import { login, open, readBook, uniqueRef } from './helpers';

// The statistics pack of one year no other test or the demo uses (domain.md, "The
// statistics pack"). Outgoing: Fiji fulfilled after 50 days, in part after 333, refused
// (dual criminality) after 40; Tonga answered only next year, one still sent, one
// withdrawn; and one to Tonga sent the December before, still pending. Incoming: Fiji's,
// fulfilled after 20 days.

/** A year before the demo's and before the assets test's (1990s), not a leap year (the
 * days below count on it). */
const YEAR = (() => {
  const y = 1950 + Math.floor(Math.random() * 38);
  return y % 4 === 0 ? y + 1 : y;
})();
const Y = String(YEAR);

async function make(page: Page, country: string, kind: string, start: string, status: string, answered = '', direction = 'outgoing') {
  const input = {
    reference: uniqueRef('ST'), their_reference: '', direction, country, counterpart_authority: '', kind,
    legal_basis: 'untoc_2000', legal_basis_note: '', offence: country === 'FJ' ? 'fraud' : 'corruption', case_number: '',
    case_title: '', summary: '', urgent: false, start_date: start, due_on: '', status, answered_on: answered,
    refusal_ground: status === 'refused' ? 'dual_criminality' : '', refusal_note: '',
  };
  const res = await page.request.post('/api/create_request', { data: { input } });
  expect(res.status(), await res.text()).toBe(200);
}

/** The cells of a row of a table of the page, by column key. */
async function row(page: Page, table: string, key: string): Promise<Record<string, string>> {
  const r = page.locator(`table[data-table="${table}"] tr[data-key="${key}"]`);
  await expect(r).toHaveCount(1);
  const out: Record<string, string> = { name: (await r.locator('th').textContent()) ?? '' };
  for (const td of await r.locator('td').all()) out[(await td.getAttribute('data-col'))!] = (await td.textContent()) ?? '';
  return out;
}

test('the statistics pack of a year: the page, its CSV and its Excel workbook read by openpyxl', async ({ page }) => {
  await login(page, 'clerk');
  await make(page, 'FJ', 'evidence', `${Y}-01-10`, 'fulfilled', `${Y}-03-01`);
  await make(page, 'FJ', 'evidence', `${Y}-02-01`, 'partially_fulfilled', `${Y}-12-31`);
  await make(page, 'FJ', 'extradition', `${Y}-03-01`, 'refused', `${Y}-04-10`);
  await make(page, 'TO', 'evidence', `${Y}-06-01`, 'fulfilled', `${YEAR + 1}-02-01`);
  await make(page, 'TO', 'evidence', `${Y}-09-01`, 'sent');
  await make(page, 'TO', 'evidence', `${Y}-04-01`, 'withdrawn');
  await make(page, 'TO', 'evidence', `${YEAR - 1}-12-01`, 'sent');
  await make(page, 'FJ', 'information', `${Y}-05-05`, 'fulfilled', `${Y}-05-25`, 'incoming');

  // from the header; the period checked in the browser before it is sent
  await open(page, '/');
  await page.locator('header.top nav').getByRole('link', { name: 'Statistics', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statistics pack');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('From', { exact: true }).fill(`${Y}-12-31`);
  await page.getByLabel('To', { exact: true }).fill(`${Y}-01-01`);
  await page.getByRole('button', { name: 'Make the pack' }).click();
  await expect(page.locator('#to-error')).toHaveText('The period cannot end before it starts.');
  await expect(page.locator('#to')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).not.toHaveURL(/to=/);
  await page.getByLabel('From', { exact: true }).fill(`${Y}-01-01`);
  await page.getByLabel('To', { exact: true }).fill(`${Y}-12-31`);
  await page.getByRole('button', { name: 'Make the pack' }).click();
  await expect(page).toHaveURL(new RegExp(`from=${Y}-01-01&to=${Y}-12-31`));
  await expect(page.locator('#pack-period')).toHaveText(`Period: ${Y}-01-01 – ${Y}-12-31 (by the date a request was sent or received)`);

  // six made in the year: 1 in full, 1 in part, 1 refused, 1 withdrawn, 2 pending on
  // 31 December; with the one of the December before, 3 pending
  const figure = async (key: string) => {
    const r = await row(page, 'summary', key);
    return [r.made, r.received];
  };
  expect(await figure('requests')).toEqual(['6', '1']);
  expect(await figure('full')).toEqual(['1', '1']);
  expect(await figure('part')).toEqual(['1', '0']);
  expect(await figure('refused')).toEqual(['1', '0']);
  expect(await figure('withdrawn')).toEqual(['1', '0']);
  expect(await figure('pending')).toEqual(['2', '0']);
  expect(await figure('pending_all')).toEqual(['3', '0']);
  // answers given in the year after 40, 50 and 333 days; theirs after 20
  expect(await figure('answers')).toEqual(['3', '1']);
  expect(await figure('median_days')).toEqual(['50', '20']);
  const band = async (table: string, key: string) => {
    const r = await row(page, table, key);
    return [r.made, r.received];
  };
  expect(await band('answer_times', 'up_to_1_month')).toEqual(['0', '1']);
  expect(await band('answer_times', '1_to_3_months')).toEqual(['2', '0']);
  expect(await band('answer_times', '6_to_12_months')).toEqual(['1', '0']);
  // pending on 31 December: 213, 121 and 395 days old
  expect(await band('pending_ages', '3_to_6_months')).toEqual(['1', '0']);
  expect(await band('pending_ages', '6_to_12_months')).toEqual(['1', '0']);
  expect(await band('pending_ages', 'over_12_months')).toEqual(['1', '0']);
  expect(await band('refusal_grounds', 'dual_criminality')).toEqual(['1', '0']);
  const tonga = await row(page, 'made_by_country', 'TO');
  expect(tonga).toEqual({ name: 'Tonga', requests: '3', full: '0', part: '0', refused: '0', withdrawn: '1', pending: '2' });
  const fiji = await row(page, 'made_by_country', 'FJ');
  expect([fiji.requests, fiji.full, fiji.part, fiji.refused]).toEqual(['3', '1', '1', '1']);
  expect((await row(page, 'made_by_kind', 'extradition')).refused).toBe('1');
  expect((await row(page, 'received_by_kind', 'information')).full).toBe('1');
  // no persons were linked: the persons tables say so
  await expect(page.locator('[data-section="made_persons"] .empty')).toHaveText('None in this period.');

  // one table as CSV
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-section="made_by_country"] a.csv-link').click(),
  ]);
  expect(csv.suggestedFilename()).toBe(`rogatory-statistics-${Y}-01-01-${Y}-12-31-made_by_country.csv`);
  const text = await readFile((await csv.path())!, 'utf8');
  expect(text.split('\n')[0]).toBe('key,country,requests,full,part,refused,withdrawn,pending');
  expect(text).toContain('TO,Tonga,3,0,0,0,1,2');
  expect(text).toContain('total,Total,6,1,1,1,1,2');

  // the whole pack as a workbook, read by a real reader
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('#pack-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toBe(`rogatory-statistics-${Y}-01-01-${Y}-12-31.xlsx`);
  const book = await readBook(xlsx);
  expect(Object.keys(book)).toEqual([
    'about', 'summary', 'answer_times', 'pending_ages', 'refusal_grounds',
    'made_by_kind', 'made_by_offence', 'made_by_country', 'made_persons', 'made_assets',
    'received_by_kind', 'received_by_offence', 'received_by_country', 'received_persons', 'received_assets',
  ]);
  // the period as dates
  expect(book.about.rows[2]).toEqual([['s', 'Period from'], ['d', `${Y}-01-01`]]);
  expect(book.about.rows[3]).toEqual([['s', 'Period to'], ['d', `${Y}-12-31`]]);
  // each sheet: its title, its header frozen, numbers as numbers
  const summary = book.summary;
  expect(summary.freeze).toBe('A3');
  expect(summary.rows[0][0]).toEqual(['s', "Requests and their state at the period's end"]);
  expect(summary.rows[1]).toEqual([['s', 'Figure'], ['s', 'Made'], ['s', 'Received']]);
  expect(summary.rows[2]).toEqual([['s', 'Requests in the period'], ['n', 6], ['n', 1]]);
  expect(summary.rows.find((r) => r[0]?.[1] === 'Days to answer, median')).toEqual([['s', 'Days to answer, median'], ['n', 50], ['n', 20]]);
  const countries = book.made_by_country;
  expect(countries.freeze).toBe('A3');
  expect(countries.rows.find((r) => r[0]?.[1] === 'Tonga')).toEqual([['s', 'Tonga'], ['n', 3], ['n', 0], ['n', 0], ['n', 0], ['n', 1], ['n', 2]]);
  expect(countries.rows[countries.rows.length - 1]).toEqual([['s', 'Total'], ['n', 6], ['n', 1], ['n', 1], ['n', 1], ['n', 1], ['n', 2]]);

  // a period typed into the address is checked on the server too
  await open(page, `/statistics?from=${Y}-02-01&to=${Y}-01-31`);
  await expect(page.locator('#to-error')).toHaveText('The period cannot end before it starts.');
  await expect(page.locator('table.stat-table')).toHaveCount(0);
  const bad = await page.request.get(`/statistics.xlsx?from=${Y}-02-01&to=${Y}-01-31`);
  expect(bad.status()).toBe(422);
});

test('the pack in Russian, and its workbook in Russian', async ({ page }) => {
  await login(page, 'viewer');
  await page.goto('/language?to=ru&back=/statistics');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Статистический отчёт');
  await expect(page.locator('[data-section="summary"] h2')).toHaveText('Запросы и их состояние на конец периода');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('#pack-xlsx').click()]);
  const book = await readBook(xlsx);
  expect(book.about.rows[0]).toEqual([['s', 'Статистический отчёт'], null]);
  expect(book.summary.rows[1]).toEqual([['s', 'Показатель'], ['s', 'Направлено'], ['s', 'Получено']]);
});

test('a viewer may read the pack; without signing in, neither the page nor the downloads', async ({ page, request }) => {
  for (const url of ['/statistics.xlsx', '/statistics.csv?table=summary']) {
    const res = await request.get(url, { maxRedirects: 0 });
    expect(res.status(), url).toBe(303);
    expect(res.headers()['location'], url).toMatch(/^\/login/);
  }
  await page.goto('/statistics');
  await expect(page).toHaveURL(/\/login/);
  await login(page, 'viewer');
  const ok = await page.request.get('/statistics.xlsx');
  expect(ok.status()).toBe(200);
  expect(ok.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
});
