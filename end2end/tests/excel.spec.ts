import { test, expect } from '@playwright/test';
import { login, open, readBook, uniqueRef } from './helpers';

// The registry and the dashboard as Excel workbooks, read by a real reader (openpyxl):
// two requests to Nauru (a country no other test or the demo uses), one fulfilled 30
// days after it was sent, one still waiting.

test('the registry and the dashboard download as workbooks with typed cells', async ({ page }) => {
  await login(page, 'clerk');
  const base = {
    their_reference: '', direction: 'outgoing', country: 'NR', counterpart_authority: '', kind: 'evidence',
    legal_basis: 'untoc_2000', legal_basis_note: '', offence: 'fraud', case_number: '', case_title: '',
    summary: '', urgent: false, due_on: '', refusal_ground: '', refusal_note: '',
  };
  const answered = uniqueRef('NR');
  for (const input of [
    { ...base, reference: answered, start_date: '2026-01-10', status: 'fulfilled', answered_on: '2026-02-09' },
    { ...base, reference: uniqueRef('NR'), start_date: '2026-03-01', status: 'sent', answered_on: '' },
  ]) {
    const res = await page.request.post('/api/create_request', { data: { input } });
    expect(res.status(), await res.text()).toBe(200);
  }

  // the registry under a filter
  await open(page, '/requests?country=NR');
  const [registry] = await Promise.all([page.waitForEvent('download'), page.locator('#export-xlsx').click()]);
  expect(registry.suggestedFilename()).toBe('rogatory-requests.xlsx');
  const requests = await readBook(registry);
  expect(Object.keys(requests)).toEqual(['about', 'requests']);
  expect(requests.about.rows.find((r) => r[0]?.[1] === 'View')).toEqual([['s', 'View'], ['s', '/requests?country=NR']]);
  const sheet = requests.requests;
  expect(sheet.freeze).toBe('A3');
  const header = sheet.rows[1].map((c) => c?.[1]);
  expect(header.slice(0, 4)).toEqual(['reference', 'their_reference', 'direction', 'country']);
  expect(sheet.rows).toHaveLength(2 + 2);
  const row = sheet.rows.find((r) => r[0]?.[1] === answered)!;
  const cell = (key: string) => row[header.indexOf(key)];
  expect(cell('country')).toEqual(['s', 'NR']);
  expect(cell('start_date')).toEqual(['d', '2026-01-10']);
  expect(cell('answered_on')).toEqual(['d', '2026-02-09']);
  expect(cell('status')).toEqual(['s', 'fulfilled']);

  // the dashboard of Nauru: every chart's numbers, one sheet each
  await open(page, '/?period=all&country=NR');
  const [dashboard] = await Promise.all([page.waitForEvent('download'), page.locator('#dashboard-xlsx').click()]);
  const book = await readBook(dashboard);
  expect(Object.keys(book)).toEqual(['about', 'answer_times', 'pending_ages', 'countries', 'months', 'quarters', 'grounds', 'reciprocity', 'groups']);
  const nauru = book.countries.rows.find((r) => r[0]?.[1] === 'NR')!;
  const cols = book.countries.rows[1].map((c) => c?.[1]);
  expect(nauru[cols.indexOf('total')]).toEqual(['n', 2]);
  expect(nauru[cols.indexOf('fulfilled')]).toEqual(['n', 1]);
  expect(nauru[cols.indexOf('overdue')]).toEqual(['n', 1]);
  expect(nauru[cols.indexOf('fulfilment_rate')]).toEqual(['n', 0.5]);
  // answered after 30 days: up to a month, the whole share
  expect(book.answer_times.rows.find((r) => r[0]?.[1] === 'Up to 1 month')).toEqual([['s', 'Up to 1 month'], ['n', 1], ['n', 1]]);
  // the one still waiting was sent on 1 March: over 3 months ago
  expect(book.pending_ages.rows[book.pending_ages.rows.length - 1]).toEqual([['s', 'Total'], ['n', 1], ['n', 1]]);
  expect(book.months.rows.find((r) => r[0]?.[1] === '2026-01')).toEqual([['s', '2026-01'], ['n', 1], ['n', 0]]);
});
