import { test, expect } from '@playwright/test';
import { login, open, uniqueRef } from './helpers';

// Events an administrator marks on the time charts: on Kiribati's chart (a country no
// other test or the demo uses) appear the event naming Kiribati and the one naming no
// country, not the one naming Tuvalu.

test('an administrator marks events; the chart of requests per month shows them', async ({ page }) => {
  await login(page, 'admin');
  for (const start of ['2025-02-05', '2025-04-05']) {
    const input = {
      reference: uniqueRef('KI'), their_reference: '', direction: 'outgoing', country: 'KI', counterpart_authority: '',
      kind: 'evidence', legal_basis: 'untoc_2000', legal_basis_note: '', offence: 'fraud', case_number: '', case_title: '',
      summary: '', urgent: false, start_date: start, due_on: '', status: 'sent', answered_on: '', refusal_ground: '', refusal_note: '',
    };
    const res = await page.request.post('/api/create_request', { data: { input } });
    expect(res.status(), await res.text()).toBe(200);
  }

  await open(page, '/');
  await page.locator('header.top nav').getByRole('link', { name: 'Events', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Events on the charts');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const form = page.locator('form.event-form');
  await form.getByLabel('Countries').fill('Atlantis');
  await form.getByRole('button', { name: 'Mark the event' }).click();
  await expect(page.locator('#event-date-error')).toHaveText('Enter the date of the event.');
  await expect(page.locator('#event-title-error')).toHaveText('Say what happened.');
  await expect(page.locator('#event-countries-error')).toHaveText('Unknown countries: Atlantis.');

  const mark = async (date: string, title: string, countries: string) => {
    await form.getByLabel('Date').fill(date);
    await form.getByLabel('Event').fill(title);
    await form.getByLabel('Countries').fill(countries);
    await form.getByRole('button', { name: 'Mark the event' }).click();
    await expect(page.locator(`tr[data-event] [data-col="title"]`, { hasText: title })).toHaveCount(1);
  };
  const sanctions = `Sanctions imposed ${uniqueRef('')}`;
  const treaty = `Treaty in force ${uniqueRef('')}`;
  const elsewhere = `Tuvalu only ${uniqueRef('')}`;
  await mark('2025-03-15', sanctions, 'Kiribati');
  await mark('2025-05-01', treaty, '');
  await mark('2025-03-20', elsewhere, 'TV');
  await expect(page.locator('tr[data-event]', { hasText: treaty }).locator('[data-col="countries"]')).toHaveText('Every country');

  await open(page, '/?period=custom&from=2025-01-01&to=2025-06-30&country=KI');
  const items = page.locator('ol.chart-events li');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toHaveText(`2025-03-15 — ${sanctions} (Kiribati)`);
  await expect(items.nth(1)).toHaveText(`2025-05-01 — ${treaty}`);
  const marks = page.locator('#chart-over-time g.event-mark');
  await expect(marks).toHaveCount(2);
  await expect(marks.nth(0)).toHaveAttribute('data-column', '2025-03');
  await expect(marks.nth(0).locator('title')).toHaveText(`1. ${sanctions}`);
  await expect(marks.nth(1)).toHaveAttribute('data-column', '2025-05');
  // the line runs through March's column
  const march = await page.locator('#chart-over-time a.column[data-label="2025-03"]').boundingBox();
  const line = await marks.nth(0).locator('line').boundingBox();
  expect(line!.x).toBeGreaterThan(march!.x);
  expect(line!.x).toBeLessThan(march!.x + march!.width);

  // a clerk may not mark events
  await page.context().clearCookies();
  await login(page, 'clerk');
  const denied = await page.request.post('/api/add_chart_event', { data: { input: { on_date: '2025-01-01', title: 'x', countries: '' } } });
  expect(denied.status()).toBe(403);
  await open(page, '/admin/events');
  await expect(page.getByText('You are not allowed to do this.')).toBeVisible();

  // the administrator removes them again (the one for every country would show on other charts)
  await page.context().clearCookies();
  await login(page, 'admin');
  await open(page, '/admin/events');
  for (const title of [sanctions, treaty, elsewhere]) {
    await page.getByRole('button', { name: `Remove the event “${title}”` }).click();
    await expect(page.locator('tr[data-event]', { hasText: title })).toHaveCount(0);
  }
  await open(page, '/?period=custom&from=2025-01-01&to=2025-06-30&country=KI');
  await expect(page.locator('#chart-over-time g.event-mark')).toHaveCount(0);
});
