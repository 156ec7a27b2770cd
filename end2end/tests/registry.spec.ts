import { expect, test } from '@playwright/test';
import { createRequest, isoDay, login, open, uniqueRef } from './helpers';

test.beforeEach(async ({ page }) => {
  await login(page, 'clerk');
});

test('a clerk logs a request through the form and finds it in the filtered list', async ({ page }) => {
  const ref = uniqueRef('2-16');
  const caseNo = uniqueRef('CASE');
  await open(page, '/requests/new');

  await page.getByLabel('Our reference').fill(ref);
  await page.getByLabel('Their reference').fill('RH-2025/77');
  await page.getByLabel('Country *').fill('lith');
  await page.getByLabel('Country *').fill('Lithuania (LT)');
  await expect(page.locator('#country-hint')).toHaveText('✓ Lithuania (LT)');
  await page.getByLabel('Counterpart authority').fill("Prosecutor General's Office");
  await page.getByLabel('Kind of assistance').selectOption('search_seizure');
  await page.getByLabel('Offence').selectOption('money_laundering');
  await page.getByLabel('Legal basis').selectOption('bilateral');
  await page.getByLabel('Treaty or basis').fill('Treaty on legal assistance of 1993');
  await page.getByLabel('Case number').fill(caseNo);
  await page.getByLabel('Title of the new case').fill('Laundering through shell companies');
  await page.getByLabel('Summary').fill('Search of the premises of Baltic Trade UAB');
  await page.getByLabel('Urgent').check();
  const start = isoDay(-5);
  await page.getByLabel('Sent on').fill(start);
  // the due date follows the start date by the office's answer period (90 days)
  const due = new Date(start + 'T00:00:00');
  due.setDate(due.getDate() + 90);
  const p = (n: number) => String(n).padStart(2, '0');
  await expect(page.getByLabel('Answer due')).toHaveValue(`${due.getFullYear()}-${p(due.getMonth() + 1)}-${p(due.getDate())}`);
  await page.getByRole('button', { name: 'Save request' }).click();

  await expect(page).toHaveURL(/\/requests\/\d+/);
  await expect(page.getByRole('status')).toHaveText('Request saved.');
  await expect(page.locator('#request-reference')).toHaveText(ref);
  await expect(page.locator('[data-field="country"]')).toHaveText('Lithuania (LT)');
  await expect(page.locator('[data-field="start_date"]')).toHaveText(start);
  await expect(page.locator('[data-field="status"]')).toHaveText('Sent');
  await expect(page.locator('.head-badges')).toContainText('Urgent');
  await expect(page.locator('dl.fields')).toContainText('Bilateral treaty — Treaty on legal assistance of 1993');
  await expect(page.locator('ol.timeline li').first()).toContainText('Registered as sent');

  // find it through the filter bar
  await open(page, '/requests');
  await page.getByLabel('Search', { exact: true }).fill(ref);
  await page.locator('#f-country').selectOption('LT');
  await page.locator('#f-kind').selectOption('search_seizure');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/country=LT/);
  await expect(page).toHaveURL(/kind=search_seizure/);
  await expect(page.locator('.result-count')).toHaveText('1 request');
  const row = page.locator('table.registry tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.locator('a.ref')).toHaveText(ref);
  await expect(row).toContainText('Lithuania');
  await expect(row).toContainText(caseNo);

  // the view is a URL: reloading it gives the same result
  await page.reload();
  await expect(page.locator('.result-count')).toHaveText('1 request');
  await expect(page.locator('#f-q')).toHaveValue(ref);

  // another country excludes it
  await open(page, `/requests?q=${encodeURIComponent(ref)}&country=DE`);
  await expect(page.locator('.result-count')).toHaveText('0 requests');
  await expect(page.getByText('No requests match these filters.')).toBeVisible();
});

test('status changes and reminders appear on the timeline', async ({ page }) => {
  const ref = uniqueRef();
  await createRequest(page, { reference: ref, country: 'Germany', start: isoDay(-30) });

  await page.getByLabel('Note', { exact: true }).last().fill('Chased by e-mail');
  await page.getByRole('button', { name: 'Log reminder' }).click();
  await expect(page.getByRole('status')).toHaveText('Reminder logged.');
  await expect(page.locator('ol.timeline li').first()).toContainText('Reminder sent');
  await expect(page.locator('ol.timeline li').first()).toContainText('Chased by e-mail');

  await page.locator('#sc-status').selectOption('in_progress');
  await page.getByRole('button', { name: 'Change status' }).click();
  await expect(page.getByRole('status')).toHaveText('Status changed.');
  await expect(page.locator('[data-field="status"]')).toHaveText('In progress');

  // refusing needs a ground
  await page.locator('#sc-status').selectOption('refused');
  await page.locator('#sc-date').fill(isoDay(-1));
  await page.getByRole('button', { name: 'Change status' }).click();
  await expect(page.locator('#sc-ground-error')).toHaveText('Choose the ground of refusal.');
  await page.locator('#sc-ground').selectOption('dual_criminality');
  await page.getByRole('button', { name: 'Change status' }).click();
  await expect(page.getByRole('status')).toHaveText('Status changed.');
  await expect(page.locator('[data-field="status"]')).toHaveText('Refused');
  await expect(page.locator('[data-field="answered_on"]')).toHaveText(isoDay(-1));
  await expect(page.locator('[data-field="refusal"]')).toHaveText('No dual criminality');

  const items = page.locator('ol.timeline li');
  await expect(items).toHaveCount(4);
  await expect(items.nth(0)).toContainText('In progress → Refused');
  await expect(items.nth(0)).toContainText('Ground: No dual criminality');
  await expect(items.nth(1)).toContainText('Sent → In progress');
  await expect(items.nth(2)).toContainText('Reminder sent');
  await expect(items.nth(3)).toContainText('Registered as sent');
  // a refused request is no longer chased
  await expect(page.getByRole('button', { name: 'Log reminder' })).toHaveCount(0);

  // the list shows the new status
  await open(page, `/requests?q=${encodeURIComponent(ref)}&status=refused`);
  await expect(page.locator('.result-count')).toHaveText('1 request');
});

test('bad input gets a clear message next to each field', async ({ page }) => {
  await open(page, '/requests/new');
  await page.getByRole('button', { name: 'Save request' }).click();
  await expect(page.getByRole('alert').first()).toContainText('Please correct the highlighted fields.');
  await expect(page.locator('#reference-error')).toHaveText('Enter the registry number.');
  await expect(page.locator('#country-error')).toHaveText('Choose the country.');
  await expect(page.locator('#kind-error')).toHaveText('Choose the kind of assistance.');
  await expect(page.locator('#start_date-error')).toHaveText('Enter the date the request was sent.');
  await expect(page.getByLabel('Our reference')).toBeFocused();

  // unknown country
  await page.getByLabel('Country *').fill('Atlantis');
  await expect(page.locator('#country-error')).toContainText('Unknown country');

  // a date in the future
  await page.getByLabel('Sent on').fill(isoDay(3));
  await expect(page.locator('#start_date-error')).toHaveText('The date cannot be in the future.');

  // answered before it was sent
  await page.getByLabel('Sent on').fill('2025-03-01');
  await page.getByLabel('Status').selectOption('fulfilled');
  await page.getByLabel('Answered on').fill('2025-02-01');
  await expect(page.locator('#answered_on-error')).toHaveText(
    'The answer cannot come before the request was sent or received.',
  );

  // refused without a ground
  await page.getByLabel('Status').selectOption('refused');
  await page.getByLabel('Answered on').fill('2025-04-01');
  await expect(page.locator('#answered_on-error')).toHaveText('');
  await expect(page.locator('#refusal_ground-error')).toHaveText('Choose the ground of refusal.');

  // nothing was saved: still on the form
  await expect(page).toHaveURL(/\/requests\/new$/);
});

test('a duplicate reference is refused by the server with a message, not an error page', async ({ page }) => {
  const ref = uniqueRef('DUP');
  await createRequest(page, { reference: ref });
  await open(page, '/requests/new');
  await page.getByLabel('Our reference').fill(ref);
  await page.getByLabel('Country *').fill('PL');
  await page.getByLabel('Kind of assistance').selectOption('documents');
  await page.getByLabel('Offence').selectOption('fraud');
  await page.getByLabel('Legal basis').selectOption('european_mla_1959');
  await page.getByLabel('Sent on').fill(isoDay(-2));
  await page.getByRole('button', { name: 'Save request' }).click();
  await expect(page.locator('#reference-error')).toHaveText(`A request with the registry number ${ref} already exists.`);
  await expect(page).toHaveURL(/\/requests\/new$/);
  await open(page, `/requests?q=${encodeURIComponent(ref)}`);
  await expect(page.locator('.result-count')).toHaveText('1 request');
});

test('two people editing the same request: the second save gets a conflict and keeps its input', async ({ browser }) => {
  const a = await browser.newPage();
  await login(a, 'clerk');
  const ref = uniqueRef('EDIT');
  const id = await createRequest(a, { reference: ref, summary: 'Original' });
  const b = await browser.newPage();
  await login(b, 'clerk');
  await open(b, `/requests/${id}`);

  await a.getByRole('button', { name: 'Edit request' }).click();
  await a.getByLabel('Summary').fill('Changed by A');
  await a.getByRole('button', { name: 'Save changes' }).click();
  await expect(a.getByRole('status')).toHaveText('Changes saved.');
  await expect(a.locator('dd.summary')).toHaveText('Changed by A');

  await b.getByRole('button', { name: 'Edit request' }).click();
  await b.getByLabel('Summary').fill('Changed by B');
  await b.getByRole('button', { name: 'Save changes' }).click();
  await expect(b.getByRole('alert').first()).toContainText('Someone else saved this request');
  await expect(b.getByLabel('Summary')).toHaveValue('Changed by B');

  await open(a, `/requests/${id}`);
  await expect(a.locator('dd.summary')).toHaveText('Changed by A');
  await expect(a.locator('ol.timeline li').first()).toContainText('Edited: summary');
});

test('overdue requests are flagged, sorted and paged by keyset', async ({ page }) => {
  await open(page, '/requests?status=overdue');
  const count = Number(await page.locator('.result-count').getAttribute('data-total'));
  expect(count).toBeGreaterThan(50);
  const rows = page.locator('table.registry tbody tr');
  await expect(rows).toHaveCount(50);
  await expect(page.locator('table.registry tbody tr.overdue-row')).toHaveCount(50);
  await expect(rows.first().locator('.badge.overdue')).toHaveText('Overdue');

  // sort by reference, ascending
  await page.locator('th a.sort[data-sort="reference"]').click();
  await expect(page).toHaveURL(/sort=reference&dir=asc/);
  await expect(page.locator('th[aria-sort="ascending"]')).toContainText('Reference');
  const firstPage = await page.locator('a.ref').allTextContents();
  expect([...firstPage].sort()).toEqual(firstPage);

  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(page.locator('.result-count')).toHaveAttribute('data-total', String(count));
  const secondPage = await page.locator('a.ref').allTextContents();
  expect(secondPage[0] > firstPage[firstPage.length - 1]).toBeTruthy();

  await page.getByRole('link', { name: '← Previous' }).click();
  await expect(page).toHaveURL(/before=/);
  await expect(page.locator('a.ref').first()).toHaveText(firstPage[0]);
});

test('cases list their requests; the demo holds the large multi-country case', async ({ page }) => {
  await open(page, '/cases');
  const row = page.locator('tr[data-case="12-2023-0111"]');
  await expect(row.locator('[data-col="requests"]')).toHaveText('111');
  await row.getByRole('link', { name: '12-2023-0111' }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  await expect(page.locator('[data-stat="requests"]')).toHaveText('111');
  await expect(page.locator('.result-count')).toHaveAttribute('data-total', '111');
  await page.locator('#f-country').selectOption('DE');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/country=DE/);
  const total = Number(await page.locator('.result-count').getAttribute('data-total'));
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThan(111);
  for (const cell of await page.locator('table.registry tbody tr td:nth-child(3)').allTextContents()) {
    expect(cell).toBe('Germany');
  }
});

test('an unknown address and an unknown request say so', async ({ page }) => {
  const res = await page.goto('/nowhere');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await open(page, '/requests/999999999');
  await expect(page.getByRole('alert')).toContainText('Request not found.');
});

test('the demo data holds every status in both directions', async ({ page }) => {
  for (const status of ['draft', 'sent', 'received', 'in_progress', 'suspended', 'fulfilled', 'partially_fulfilled', 'refused', 'withdrawn']) {
    await open(page, `/requests?status=${status}`);
    const total = Number(await page.locator('.result-count').getAttribute('data-total'));
    expect(total, status).toBeGreaterThan(0);
  }
  await open(page, '/requests?direction=incoming');
  expect(Number(await page.locator('.result-count').getAttribute('data-total'))).toBeGreaterThan(50);
});
