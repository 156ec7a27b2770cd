import { expect, test } from '@playwright/test';
import * as fs from 'fs';
import { isoDay, login, open, uniqueRef } from './helpers';

// Known data in a country the demo set never uses (Iceland), so the figures are exact.
async function seed(page: import('@playwright/test').Page) {
  const base = {
    their_reference: '', direction: 'outgoing', country: 'IS', counterpart_authority: '', kind: 'evidence',
    legal_basis: 'european_mla_1959', legal_basis_note: '', offence: 'fraud', case_number: '', case_title: '',
    summary: '', urgent: false, due_on: '', answered_on: '', refusal_ground: '', refusal_note: '',
  };
  const rows = [
    { status: 'fulfilled', start_date: isoDay(-40), answered_on: isoDay(-30) },
    { status: 'partially_fulfilled', start_date: isoDay(-30), answered_on: isoDay(-10) },
    { status: 'refused', start_date: isoDay(-40), answered_on: isoDay(-10), refusal_ground: 'political_motivation' },
    { status: 'sent', start_date: isoDay(-200) },
    { status: 'withdrawn', start_date: isoDay(-50) },
    { status: 'draft', start_date: '' },
    { status: 'fulfilled', start_date: isoDay(-20), answered_on: isoDay(-5), direction: 'incoming' },
  ];
  for (const r of rows) {
    const res = await page.request.post('/api/create_request', { data: { input: { ...base, reference: uniqueRef('IS'), ...r } } });
    expect(res.status(), await res.text()).toBe(200);
  }
}

test('the dashboard shows the exact figures, drills down to the list, and downloads CSV', async ({ page }) => {
  await login(page, 'clerk');
  await seed(page);
  await open(page, '/?period=all&country=IS');
  await expect(page.locator('#headline')).toHaveText('2 of 4 outgoing requests satisfied (50.0 %), all time');
  const tile = (k: string) => page.locator(`[data-tile="${k}"] .tile-value`);
  await expect(tile('total')).toHaveText('5');
  await expect(tile('fulfilled')).toHaveText('1');
  await expect(tile('partially_fulfilled')).toHaveText('1');
  await expect(tile('refused')).toHaveText('1');
  await expect(tile('suspended')).toHaveText('0');
  await expect(tile('open')).toHaveText('1');
  await expect(tile('overdue')).toHaveText('1');
  await expect(tile('fulfilment_rate')).toHaveText('50.0 %');
  await expect(tile('response_rate')).toHaveText('75.0 %');
  await expect(tile('median_days')).toHaveText('20');
  await expect(page.locator('[data-tile="median_days"] .tile-detail')).toHaveText('median; 90th percentile 30');

  // the bar of the country, its segments and its table row
  const bar = page.locator('g.bar-row[data-label="Iceland"]');
  await expect(bar).toHaveAttribute('data-total', '5');
  await expect(bar.locator('.bar-note')).toHaveText('5 · 50.0 % *');
  await expect(bar.locator('a.segment[data-key="refused"]')).toHaveAttribute('data-value', '1');
  await expect(bar.locator('a.segment[data-key="overdue"] title')).toHaveText('Iceland — No response (overdue): 1 of 5');
  const row = page.locator('table.by-country tr[data-country="IS"]');
  await expect(row.locator('[data-col="withdrawn"]')).toHaveText('1');
  await expect(row.locator('[data-col="response_rate"]')).toHaveText('75.0 %');

  // refusal grounds and reciprocity
  await expect(page.locator('table.grounds tr[data-ground="political_motivation"] [data-col="count"]')).toHaveText('1');
  const rec = page.locator('table.reciprocity-table tr[data-country="IS"]');
  await expect(rec.locator('[data-col="theirs"]')).toHaveText('50.0 %');
  await expect(rec.locator('[data-col="ours"]')).toHaveText('100.0 %');
  await expect(page.locator('svg.scatter a.point[data-label="IS"] title')).toHaveText(
    'Iceland: fulfils 50.0 % of our requests; we fulfil 100.0 % of its',
  );
  const started = await page.locator('svg.columns rect[data-key="started"]').evaluateAll((r) =>
    r.reduce((sum, el) => sum + Number(el.getAttribute('data-value')), 0),
  );
  expect(started).toBe(5);

  // the country picker gives the same view
  await open(page, '/?period=all');
  await page.locator('#d-country').selectOption('IS');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/country=IS/);
  await expect(page.locator('#headline')).toHaveText('2 of 4 outgoing requests satisfied (50.0 %), all time');
  await expect(page.locator('table.grounds tr')).toHaveCount(1);

  // drill down from the refused segment to the requests behind it
  await bar.locator('a.segment[data-key="refused"]').click();
  await expect(page).toHaveURL(/\/requests\?direction=outgoing&country=IS&status=refused/);
  await expect(page.locator('.result-count')).toHaveText('1 request');

  // the CSV has the same numbers
  await open(page, '/?period=all&country=IS');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-csv="countries"]').click()]);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe(
    'country_code,country,total,fulfilled,partially_fulfilled,refused,suspended,withdrawn,open,overdue,fulfilment_rate,response_rate,fulfilment_rate_lower_95',
  );
  expect(lines[1]).toMatch(/^IS,Iceland,5,1,1,1,0,1,1,1,0\.5000,0\.7500,0\.\d{4}$/);
  expect(lines[2]).toMatch(/^,All countries,5,1,1,1,0,1,1,1,0\.5000,0\.7500,/);

  // the chart as SVG, as shown
  const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('[data-download="chart-by-country"]').click()]);
  expect(svg.suggestedFilename()).toBe('rogatory-by-country.svg');
  const markup = fs.readFileSync((await svg.path())!, 'utf8');
  expect(markup).toContain('<svg');
  expect(markup).toContain('data-label="Iceland"');
  expect(markup).toContain('Iceland — Refused: 1 of 5');
});

test('a period with no requests shows dashes, not zero rates', async ({ page }) => {
  await login(page, 'viewer');
  await open(page, '/?period=custom&from=1999-01-01&to=1999-12-31');
  await expect(page.locator('[data-tile="total"] .tile-value')).toHaveText('0');
  await expect(page.locator('[data-tile="fulfilment_rate"] .tile-value')).toHaveText('—');
  await expect(page.locator('[data-tile="response_rate"] .tile-value')).toHaveText('—');
  await expect(page.locator('[data-tile="median_days"] .tile-value')).toHaveText('—');
  await expect(page.getByText('No requests in this period.')).toBeVisible();
});

test('the demo dashboard orders countries by volume, rate or overdue', async ({ page }) => {
  await login(page, 'viewer');
  await open(page, '/?period=all');
  const totals = await page.locator('g.bar-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-total'))));
  expect(totals.length).toBeGreaterThan(20);
  expect([...totals].sort((a, b) => b - a)).toEqual(totals);
  await page.getByRole('link', { name: 'overdue', exact: true }).click();
  await expect(page).toHaveURL(/order=overdue/);
  const overdue = await page.locator('table.by-country tbody [data-col="overdue"]').allTextContents();
  const numbers = overdue.map(Number);
  expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);
});

test('a case has its own dashboard', async ({ page }) => {
  await login(page, 'viewer');
  await open(page, '/cases');
  await page.locator('tr[data-case="12-2023-0111"]').getByRole('link', { name: '12-2023-0111' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByRole('link', { name: 'Dashboard of this case' }).click();
  await expect(page).toHaveURL(/\/\?period=all&case=\d+$/);
  await expect(page.locator('.scope')).toContainText('Only the requests of one case');
  await expect(page.locator('[data-tile="total"] .tile-value')).toHaveText('111');
  const countries = await page.locator('g.bar-row').count();
  expect(countries).toBeLessThanOrEqual(20);
  expect(countries).toBeGreaterThan(10);
});

test('an administrator defines a country group; the dashboard compares and filters by it', async ({ page }) => {
  await login(page, 'clerk');
  const res = await page.request.post('/api/create_request', {
    data: {
      input: {
        reference: uniqueRef('FO'), their_reference: '', direction: 'outgoing', country: 'FO', counterpart_authority: '',
        kind: 'information', legal_basis: 'reciprocity', legal_basis_note: '', offence: 'fraud', case_number: '',
        case_title: '', summary: '', urgent: false, start_date: isoDay(-20), due_on: '', status: 'fulfilled',
        answered_on: isoDay(-2), refusal_ground: '', refusal_note: '',
      },
    },
  });
  expect(res.status(), await res.text()).toBe(200);
  await page.context().clearCookies();
  await login(page, 'admin');
  await open(page, '/admin/groups');
  await expect(page.locator('form.group-form')).toHaveCount(5); // four presets of the demo, and the new-group form
  const form = page.locator('form.group-form[data-group="new"]');
  await form.getByLabel('Name', { exact: true }).fill('Faroe test group');
  await form.getByLabel('Countries').fill('Faroe Islands, Atlantis');
  await form.getByRole('button', { name: 'Create group' }).click();
  await expect(form.locator('.field-error').last()).toHaveText('Unknown countries: Atlantis.');
  await form.getByLabel('Countries').fill('FO');
  await expect(form.locator('.hint')).toHaveText('Faroe Islands');
  await form.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('status')).toHaveText('Group Faroe test group saved.');

  await open(page, '/?period=all');
  const row = page.locator('table.groups-compared tr[data-group="Faroe test group"]');
  await expect(row.locator('[data-col="total"]')).toHaveText('1');
  await expect(row.locator('[data-col="fulfilment_rate"]')).toHaveText('100.0 %');
  await row.getByRole('link', { name: 'Faroe test group' }).click();
  await expect(page).toHaveURL(/group=\d+/);
  await expect(page.locator('.scope')).toContainText('Only the countries of Faroe test group');
  await expect(page.locator('[data-tile="total"] .tile-value')).toHaveText('1');
  await expect(page.locator('g.bar-row')).toHaveCount(1);
});

test('the dashboard counts the answers by months to answer, and the pending requests by age', async ({ page }) => {
  // Samoa: a country the demo set never uses
  await login(page, 'clerk');
  const base = {
    their_reference: '', direction: 'outgoing', country: 'WS', counterpart_authority: '', kind: 'evidence',
    legal_basis: 'untoc_2000', legal_basis_note: '', offence: 'fraud', case_number: '', case_title: '',
    summary: '', urgent: false, due_on: '', refusal_ground: '', refusal_note: '', status: 'fulfilled',
  };
  for (const days of [10, 45, 200, 400]) {
    const input = { ...base, reference: uniqueRef('WS'), start_date: isoDay(-5 - days), answered_on: isoDay(-5) };
    const res = await page.request.post('/api/create_request', { data: { input } });
    expect(res.status(), await res.text()).toBe(200);
  }
  // and two still waiting, sent 20 and 100 days ago
  for (const days of [20, 100]) {
    const input = { ...base, reference: uniqueRef('WS'), start_date: isoDay(-days), status: 'sent', answered_on: '' };
    const res = await page.request.post('/api/create_request', { data: { input } });
    expect(res.status(), await res.text()).toBe(200);
  }
  await open(page, '/?period=all&country=WS');
  const pending = page.locator('table.pending-ages');
  await expect(pending.locator('caption')).toHaveText('2 requests waiting for an answer (open or suspended), by their age today');
  const ages = await pending.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-count')));
  expect(ages).toEqual(['1', '0', '1', '0', '0']);
  await expect(pending.locator('tr[data-band="2"] td').nth(1)).toHaveText('50.0 %');
  const table = page.locator('table.answer-times');
  await expect(table.locator('caption')).toHaveText(
    '4 answers by time to answer (calendar days): median 122.5, 90th percentile 400',
  );
  const counts = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-count')));
  expect(counts).toEqual(['1', '1', '0', '1', '1']);
  await expect(table.locator('tr[data-band="1"] th')).toHaveText('1–3 months');
  await expect(table.locator('tr[data-band="1"] td').nth(1)).toHaveText('25.0 %');
  await expect(table.locator('tr[data-band="2"] td').nth(1)).toHaveText('0.0 %');
  await expect(table.locator('tr[data-band="4"] rect')).toHaveAttribute('width', '25.00');

  // in Russian, the same figures
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: 'ru', url: page.url() }]);
  await open(page, '/?period=all&country=WS');
  await expect(table.locator('caption')).toHaveText(
    'Ответы по сроку ответа (календарные дни), всего 4: медиана 122,5, 90-й процентиль 400',
  );
  await expect(table.locator('tr[data-band="4"] th')).toHaveText('Более 12 месяцев');

  // a view with no answers says so
  await page.context().clearCookies({ name: 'i18n_pref_locale' });
  await open(page, '/?period=all&country=WS&direction=incoming');
  await expect(page.locator('table.answer-times')).toHaveCount(0);
  await expect(page.getByText('No request of this view has been answered yet.')).toBeVisible();
  await expect(page.locator('table.pending-ages')).toHaveCount(0);
  await expect(page.getByText('No request of this view is waiting for an answer.')).toBeVisible();
});
