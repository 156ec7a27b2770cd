import { test, expect } from '@playwright/test';
import { login, open, uniqueRef } from './helpers';

// Two periods compared per country: Fiji (a country the demo set never uses) fulfilled 2
// of 10 requests started in the first half of 2024 and 9 of 10 in the first half of 2025:
// +70.0 points, z = 3.15, p = 0.0017 — larger than chance; 2 of 4 against 4 of 4 (p = 0.10)
// could be chance.

test('two periods side by side per country, with the change and whether it is chance', async ({ page }) => {
  await login(page, 'clerk');
  const base = {
    their_reference: '', direction: 'outgoing', country: 'FJ', counterpart_authority: '', kind: 'evidence',
    legal_basis: 'untoc_2000', legal_basis_note: '', offence: 'fraud', case_number: '', case_title: '',
    summary: '', urgent: false, due_on: '', refusal_ground: '', refusal_note: '',
  };
  const make = async (start: string, fulfilled: boolean) => {
    const answered = fulfilled ? { status: 'fulfilled', answered_on: start.replace(/-\d\d$/, '-28') } : { status: 'sent', answered_on: '' };
    const input = { ...base, reference: uniqueRef('FJ'), start_date: start, ...answered };
    const res = await page.request.post('/api/create_request', { data: { input } });
    expect(res.status(), await res.text()).toBe(200);
  };
  for (let i = 0; i < 10; i++) await make(`2024-0${1 + (i % 6)}-05`, i < 2);
  for (let i = 0; i < 10; i++) await make(`2025-0${1 + (i % 6)}-05`, i < 9);

  // from the dashboard, then the periods typed into the form
  await open(page, '/');
  await page.locator('#compare-link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare periods');
  await page.getByLabel('From').first().fill('2024-01-01');
  await page.getByLabel('To').first().fill('2024-06-30');
  await page.getByLabel('From').nth(1).fill('2025-01-01');
  await page.getByLabel('To').nth(1).fill('2025-06-30');
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/a_from=2024-01-01&a_to=2024-06-30&b_from=2025-01-01&b_to=2025-06-30/);
  await expect(page.locator('table.compare-table caption')).toHaveCount(2);
  for (const caption of await page.locator('table.compare-table caption').all()) {
    await expect(caption).toHaveText('A: 2024-01-01 – 2024-06-30; B: 2025-01-01 – 2025-06-30');
  }
  const fiji = page.locator('table.compare-table.fulfilment tr[data-country="FJ"]');
  const fijiResponse = page.locator('table.compare-table.response tr[data-country="FJ"]');
  await expect(fiji.locator('[data-col="a_total"]')).toHaveText('10');
  await expect(fiji.locator('[data-col="a_fulfilment"]')).toHaveText('20.0 %');
  await expect(fiji.locator('[data-col="b_total"]')).toHaveText('10');
  await expect(fiji.locator('[data-col="b_fulfilment"]')).toHaveText('90.0 %');
  await expect(fiji.locator('[data-col="fulfilment_change"]')).toHaveText('+70.0 points, larger than chance (p = 0.002)');
  await expect(fiji.locator('[data-col="fulfilment_change"]')).toHaveClass(/significant/);
  // every request answered was fulfilled: the response rates are the same
  await expect(fijiResponse.locator('[data-col="a_response"]')).toHaveText('20.0 %');
  await expect(fijiResponse.locator('[data-col="b_response"]')).toHaveText('90.0 %');
  await expect(fijiResponse.locator('[data-col="response_change"]')).toHaveText('+70.0 points, larger than chance (p = 0.002)');
  // the table fits the page: nothing to scroll sideways
  const wraps = page.locator('.compare .table-wrap');
  for (const wrap of await wraps.all()) {
    expect(await wrap.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  }

  await open(page, '/compare?direction=outgoing&a_from=2024-01-01&a_to=2024-02-28&b_from=2025-01-01&b_to=2025-02-28');
  // A: January and February 2024 (4 requests, 2 fulfilled); B: the same months of 2025 (4 of 4)
  await expect(fiji.locator('[data-col="a_total"]')).toHaveText('4');
  await expect(fiji.locator('[data-col="b_fulfilment"]')).toHaveText('100.0 %');
  await expect(fiji.locator('[data-col="fulfilment_change"]')).toHaveText('+50.0 points, could be chance (p = 0.10)');
  await expect(fiji.locator('[data-col="fulfilment_change"]')).not.toHaveClass(/significant/);
});
