import { expect, test } from '@playwright/test';
import * as fs from 'fs';
import { isoDay, login, open, uniqueRef } from './helpers';

// Known data in a country the demo set never uses (one per test), so the figures are exact.
async function seed(page: import('@playwright/test').Page, country: string) {
  const base = {
    their_reference: '', direction: 'outgoing', country, counterpart_authority: '', kind: 'evidence',
    legal_basis: 'bilateral', legal_basis_note: 'Treaty of 1995', offence: 'fraud', case_number: '', case_title: '',
    summary: '', urgent: false, due_on: '', answered_on: '', refusal_ground: '', refusal_note: '',
  };
  const rows = [
    { status: 'fulfilled', start_date: isoDay(-60), answered_on: isoDay(-30) },
    { status: 'refused', start_date: isoDay(-60), answered_on: isoDay(-20), refusal_ground: 'dual_criminality' },
    { status: 'refused', start_date: isoDay(-60), answered_on: isoDay(-20), refusal_ground: 'dual_criminality' },
    { status: 'sent', start_date: isoDay(-10) },
  ];
  for (const r of rows) {
    const res = await page.request.post('/api/create_request', { data: { input: { ...base, reference: uniqueRef(country), ...r } } });
    expect(res.status(), await res.text()).toBe(200);
  }
}

test('the world map shades countries by rate, links to their requests and switches to the response rate', async ({ page }) => {
  await login(page, 'clerk');
  await seed(page, 'MN');
  await open(page, '/?period=all&country=MN');
  await expect(page.locator('#headline')).toHaveText('1 of 4 outgoing requests satisfied (25.0 %), all time');

  // 1 of 4 fulfilled: 25 %, the 20–40 % class; every other country has no requests here
  const mongolia = page.locator('svg.world-map a[data-country="MN"] path');
  await expect(mongolia).toHaveClass('country class-1');
  await expect(mongolia.locator('title')).toHaveText('Mongolia: 1 of 4 fulfilled in full or in part (25.0 %)');
  await expect(page.locator('svg.world-map path[data-country="BR"]')).toHaveClass('country no-data');
  await expect(page.locator('svg.world-map path[data-country="BR"] title')).toHaveText('Brazil: no requests');

  // the response rate: 3 of 4 answered, 75 %, the 60–80 % class
  await page.getByRole('link', { name: 'response rate', exact: true }).click();
  await expect(page).toHaveURL(/map=response/);
  await expect(mongolia).toHaveClass('country class-3');
  await expect(mongolia.locator('title')).toHaveText('Mongolia: 3 of 4 answered (75.0 %)');

  // clicking the country opens its requests
  await mongolia.click();
  await expect(page).toHaveURL(/\/requests\?direction=outgoing&country=MN/);
  await expect(page.locator('.result-count')).toHaveText('4 requests');
});

test('month columns open the requests started that month; legal basis filters; each chart downloads its CSV', async ({ page }) => {
  await login(page, 'clerk');
  await seed(page, 'NP');
  await open(page, '/?period=all&country=NP');

  // the month of the three older requests (and maybe the newest, if in the same month)
  const month = isoDay(-60).slice(0, 7);
  const column = page.locator(`svg.columns a.column[data-label="${month}"]`);
  const started = Number(await column.locator('rect[data-key="started"]').getAttribute('data-value'));
  expect(started).toBeGreaterThanOrEqual(3);
  await column.locator('rect[data-key="started"]').click();
  await expect(page).toHaveURL(new RegExp(`/requests\\?direction=outgoing&country=NP&from=${month}-01&to=${month}-\\d\\d`));
  await expect(page.locator('.result-count')).toHaveText(`${started} requests`);

  // the legal-basis filter: all of them are bilateral, none under the Minsk convention
  await open(page, '/?period=all&country=NP');
  await page.locator('#d-basis').selectOption('minsk_1993');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/basis=minsk_1993/);
  await expect(page.locator('#headline')).toHaveText('0 of 0 outgoing requests satisfied (—), all time');
  await page.locator('#d-basis').selectOption('bilateral');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('#headline')).toHaveText('1 of 4 outgoing requests satisfied (25.0 %), all time');

  // refusal grounds as CSV
  const [grounds] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-csv="grounds"]').click()]);
  expect(grounds.suggestedFilename()).toBe('rogatory-grounds.csv');
  const lines = fs.readFileSync((await grounds.path())!, 'utf8').trim().split('\n');
  expect(lines).toEqual(['ground_code,ground,refusals', 'dual_criminality,No dual criminality,2']);

  // the months as CSV hold the same started counts as the chart
  const [months] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-csv="months"]').click()]);
  const rows = fs.readFileSync((await months.path())!, 'utf8').trim().split('\n');
  expect(rows[0]).toBe('month,started,answered');
  expect(rows.find((r) => r.startsWith(`${month},`))!.split(',')[1]).toBe(String(started));
  const total = rows.slice(1).reduce((s, r) => s + Number(r.split(',')[1]), 0);
  expect(total).toBe(4);
});
