import { expect, test } from '@playwright/test';
import { isoDay, login, open, uniqueRef } from './helpers';

// Known data in a country the demo set never uses (Bhutan): 12 requests, enough to be ranked.
async function seed(page: import('@playwright/test').Page) {
  const base = {
    their_reference: '', direction: 'outgoing', country: 'BT', counterpart_authority: '', kind: 'evidence',
    legal_basis: 'reciprocity', legal_basis_note: '', offence: 'corruption', case_number: '', case_title: '',
    summary: '', urgent: false, due_on: '', answered_on: '', refusal_ground: '', refusal_note: '',
  };
  const rows = [
    ...Array.from({ length: 9 }, () => ({ status: 'fulfilled', start_date: isoDay(-80), answered_on: isoDay(-40) })),
    ...Array.from({ length: 3 }, () => ({ status: 'refused', start_date: isoDay(-80), answered_on: isoDay(-20), refusal_ground: 'human_rights' })),
  ];
  for (const r of rows) {
    const res = await page.request.post('/api/create_request', { data: { input: { ...base, reference: uniqueRef('BT'), ...r } } });
    expect(res.status(), await res.text()).toBe(200);
  }
}

test('the printable report shows the period figures, responders and grounds, and prints without the controls', async ({ page }) => {
  await login(page, 'clerk');
  await seed(page);
  await open(page, '/?period=all&country=BT');
  await page.locator('#report-link').click();
  await expect(page).toHaveURL(/\/report\?direction=outgoing&period=all&country=BT/);
  await expect(page.locator('#report-title')).toHaveText('Outgoing requests — Bhutan, all time');
  await expect(page.locator('#report-headline')).toHaveText('9 of 12 outgoing requests satisfied (75.0 %).');
  const figure = (label: string) => page.locator('#report-figures tr', { hasText: label }).locator('td');
  await expect(figure('Refused')).toHaveText('3');
  await expect(figure('Response rate')).toHaveText('100.0 % (12 of 12)');
  await expect(figure('Days to answer, median')).toHaveText('40');
  await expect(page.locator('#report-best tbody tr')).toHaveCount(1);
  await expect(page.locator('#report-best tr[data-country="BT"] [data-col="fulfilment_rate"]')).toHaveText('75.0 %');
  await expect(page.locator('#report-worst tbody tr')).toHaveCount(0);
  await expect(page.locator('#report-grounds tr[data-ground="human_rights"] td').nth(1)).toHaveText('3');
  await expect(page.locator('svg.world-map a[data-country="BT"] path')).toHaveClass('country class-3');

  // on paper: no menu, no buttons, the content stays
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.top')).toBeHidden();
  await expect(page.locator('#print-report')).toBeHidden();
  await expect(page.locator('#report-headline')).toBeVisible();
  await expect(page.locator('#report-countries')).toBeVisible();
});
