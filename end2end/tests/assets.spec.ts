import { test, expect } from '@playwright/test';
import { login, open, readBook, uniqueRef } from './helpers';

// Measures on assets recorded on an asset request's page, and their sums in the statistics
// pack: in a year of its own (no other test or demo request has measures then), 1,250,000.50
// EUR frozen and 200,000 EUR confiscated; a measure recorded by mistake is removed.

// the 1990s: after the statistics test's years, whose "pending at the end" must not see it
const YEAR = 1990 + Math.floor(Math.random() * 10);

test('a clerk records measures on assets; the pack sums them per currency and stage', async ({ page }) => {
  await login(page, 'clerk');
  const reference = uniqueRef('AS');
  const input = {
    reference, their_reference: '', direction: 'outgoing', country: 'CY', counterpart_authority: '', kind: 'assets',
    legal_basis: 'uncac_2003', legal_basis_note: '', offence: 'corruption', case_number: '', case_title: '',
    summary: '', urgent: false, start_date: `${YEAR}-01-10`, due_on: '', status: 'sent', answered_on: '',
    refusal_ground: '', refusal_note: '',
  };
  const res = await page.request.post('/api/create_request', { data: { input } });
  expect(res.status(), await res.text()).toBe(200);
  const id = await res.json();

  await open(page, `/requests/${id}`);
  const card = page.locator('section.request-assets');
  await expect(card.getByRole('heading', { name: 'Assets' })).toBeVisible();
  await expect(card.locator('.empty')).toHaveText('No measure on assets is recorded.');

  // checked in the browser: an amount with a stray group, a currency of four letters, a
  // date before the request
  await card.getByLabel('Amount').fill('12.345.6');
  await card.getByLabel('Currency').fill('EURO');
  await card.getByLabel('Date').fill(`${YEAR - 1}-12-31`);
  await card.getByRole('button', { name: 'Record the measure' }).click();
  await expect(card.locator('#asset-amount-error')).toHaveText('Enter a positive amount with at most two decimals, e.g. 1 250 000,50.');
  await expect(card.locator('#asset-currency-error')).toHaveText("Enter the currency's three-letter ISO code, e.g. EUR.");
  await expect(card.locator('#asset-taken-on-error')).toHaveText('The date cannot come before the request was sent or received.');

  const record = async (stage: string, amount: string, currency: string, on: string) => {
    await card.getByLabel('Stage').selectOption(stage);
    await card.getByLabel('Amount').fill(amount);
    await card.getByLabel('Currency').fill(currency);
    await card.getByLabel('Date').fill(on);
    await card.getByRole('button', { name: 'Record the measure' }).click();
  };
  await record('frozen', '1 250 000,50', 'eur', `${YEAR}-02-01`);
  await expect(card.locator('tr[data-measure]')).toHaveCount(1);
  await expect(card.locator('tr[data-measure] [data-col="amount"]')).toHaveText('1,250,000.50\u00a0EUR');
  await expect(card.locator('tr[data-measure] [data-col="stage"]')).toHaveText('Frozen');
  await record('confiscated', '200000', 'EUR', `${YEAR}-06-30`);
  await record('seized', '99', 'USD', `${YEAR}-03-01`);
  await expect(card.locator('tr[data-measure]')).toHaveCount(3);
  // the seizure was a mistake
  await card.getByRole('button', { name: `Remove the measure of ${YEAR}-03-01` }).click();
  await expect(card.locator('tr[data-measure]')).toHaveCount(2);

  // the server checks again
  const bad = await page.request.post('/api/add_asset_measure', {
    data: { request_id: id, input: { stage: 'stolen', amount: '-5', currency: 'E1', taken_on: `${YEAR}-02-01`, note: '' } },
  });
  expect(bad.status()).toBe(422);
  const body = await bad.text();
  for (const field of ['stage', 'amount', 'currency']) expect(body).toContain(`"field":"${field}"`);
  expect(body).not.toContain('"field":"taken_on"');

  // the pack of the year
  await open(page, `/statistics?from=${YEAR}-01-01&to=${YEAR}-12-31`);
  const eur = page.locator('table[data-table="made_assets"] tr[data-key="EUR"]');
  await expect(eur.locator('[data-col="frozen"]')).toHaveText('1,250,000.50');
  await expect(eur.locator('[data-col="confiscated"]')).toHaveText('200,000.00');
  await expect(eur.locator('[data-col="seized"]')).toHaveText('0.00');
  await expect(eur.locator('[data-col="measures"]')).toHaveText('2');
  await expect(page.locator('table[data-table="made_assets"] tr[data-key="USD"]')).toHaveCount(0);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('#pack-xlsx').click()]);
  const book = await readBook(xlsx);
  expect(book.made_assets.rows[1].map((c) => c?.[1])).toEqual(['Currency', 'Frozen', 'Seized', 'Confiscated', 'Repatriated (returned)', 'Shared', 'Measures']);
  expect(book.made_assets.rows[2]).toEqual([['s', 'EUR'], ['n', 1250000.5], ['n', 0], ['n', 200000], ['n', 0], ['n', 0], ['n', 2]]);

  // a viewer reads the measures but records none
  await page.context().clearCookies();
  await login(page, 'viewer');
  await open(page, `/requests/${id}`);
  await expect(page.locator('section.request-assets tr[data-measure]')).toHaveCount(2);
  await expect(page.locator('section.request-assets form')).toHaveCount(0);
  const denied = await page.request.post('/api/add_asset_measure', {
    data: { request_id: id, input: { stage: 'frozen', amount: '5', currency: 'EUR', taken_on: `${YEAR}-02-01`, note: '' } },
  });
  expect(denied.status()).toBe(403);
});
