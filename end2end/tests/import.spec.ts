import { expect, test } from '@playwright/test';
import * as fs from 'fs';
import { login, open, uniqueRef } from './helpers';

const HEADER =
  'reference,their_reference,direction,country,counterpart_authority,kind,legal_basis,offence,case_number,case_title,summary,urgent,start_date,due_on,status,answered_on,refusal_ground';

function csv(rows: string[]): { name: string; mimeType: string; buffer: Buffer } {
  return { name: 'requests.csv', mimeType: 'text/csv', buffer: Buffer.from([HEADER, ...rows].join('\n') + '\n') };
}

test('a clerk imports a spreadsheet: the dry run names every bad row, nothing is written until it is clean, then all rows are', async ({ page }) => {
  await login(page, 'clerk');
  const [a, b] = [uniqueRef('IMP'), uniqueRef('IMP')];
  const good = [
    `${a},,outgoing,Mongolia,,evidence,european_mla_1959,fraud,,,"Records, 2024",false,2025-01-10,,sent,,`,
    `${b},,outgoing,MN,,extradition,european_extradition_1957,fraud,,,,true,2025-02-01,,refused,2025-03-01,own_national`,
  ];
  const bad = `${uniqueRef('BAD')},,outgoing,Atlantis,,evidence,european_mla_1959,fraud,,,,false,2099-01-01,,sent,,`;

  await open(page, '/import');
  await page.locator('#import-file').setInputFiles(csv([good[0], bad, good[1]]));
  await expect(page.locator('#import-chosen')).toHaveText('requests.csv — about 3 rows');
  await page.locator('#import-check').click();
  await expect(page.locator('#import-summary')).toHaveText(
    'Nothing was imported: 1 of 3 rows have problems (2 errors, 0 existing references).',
  );
  const issues = page.locator('table.import-issues tbody tr');
  await expect(issues).toHaveCount(2);
  await expect(page.locator('tr[data-line="3"][data-column="country"] td').last()).toContainText('Unknown country');
  await expect(page.locator('tr[data-line="3"][data-column="start_date"] td').last()).toHaveText('The date cannot be in the future.');
  await expect(page.locator('#import-commit')).toHaveCount(0);

  // the same file without the bad row: a clean dry run, then the import
  await page.locator('#import-file').setInputFiles(csv(good));
  await page.locator('#import-check').click();
  await expect(page.locator('#import-summary')).toHaveText('Dry run: 2 rows would be imported (2 new, 0 updates). Nothing was written.');
  await open(page, `/requests?q=${encodeURIComponent(a)}`);
  await expect(page.locator('.result-count')).toHaveText('0 requests');

  await open(page, '/import');
  await page.locator('#import-file').setInputFiles(csv(good));
  await page.locator('#import-check').click();
  await page.locator('#import-commit').click();
  await expect(page.locator('#import-summary')).toHaveText('Imported 2 rows: 2 created, 0 updated.');
  await open(page, `/requests?q=${encodeURIComponent(a)}`);
  await expect(page.locator('.result-count')).toHaveText('1 request');

  // again: every row is an existing reference, nothing is duplicated
  await open(page, '/import');
  await page.locator('#import-file').setInputFiles(csv(good));
  await page.locator('#import-check').click();
  await expect(page.locator('#import-summary')).toHaveText(
    'Nothing was imported: 2 of 2 rows have problems (0 errors, 2 existing references).',
  );
  await expect(page.locator('tr[data-kind="conflict"]')).toHaveCount(2);

  // the registry's CSV holds the filtered list in the same format
  await open(page, `/requests?q=${encodeURIComponent(a)}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
  const lines = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe(`${HEADER},legal_basis_note,refusal_note`);
  expect(lines[1]).toBe(`${a},,outgoing,MN,,evidence,european_mla_1959,fraud,,,"Records, 2024",false,2025-01-10,2025-04-10,sent,,,,`);
});

test('viewers cannot import', async ({ page }) => {
  await login(page, 'viewer');
  await open(page, '/import');
  await expect(page.locator('#import-file')).toHaveCount(0);
  const res = await page.request.post('/api/import_requests', {
    data: { file_name: 'x.csv', content: HEADER + '\n', dry_run: true, update: false },
  });
  expect(res.status()).toBe(403);
});

test('a search matching more than 1,000 requests says so, and counts them all when asked', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, 'clerk');
  // 1,005 requests whose summaries share one word, 5 of them refused
  const word = uniqueRef('many').toLowerCase().replace(/[^a-z0-9]/g, '');
  const rows = Array.from({ length: 1005 }, (_, i) =>
    i < 5
      ? `${word}-${i},,outgoing,DE,,extradition,european_extradition_1957,fraud,,,"About ${word}",false,2025-01-10,,refused,2025-03-01,own_national`
      : `${word}-${i},,outgoing,DE,,evidence,european_mla_1959,fraud,,,"About ${word}",false,2025-01-10,,sent,,`,
  );
  await open(page, '/import');
  await page.locator('#import-file').setInputFiles(csv(rows));
  await page.locator('#import-check').click();
  await page.locator('#import-commit').click();
  await expect(page.locator('#import-summary')).toHaveText('Imported 1005 rows: 1005 created, 0 updated.', { timeout: 60_000 });

  await open(page, `/requests?q=${word}`);
  const count = page.locator('.result-count .count');
  await expect(count).toHaveText('More than 1,000 requests');
  await expect(page.locator('table.registry tbody tr')).toHaveCount(50);
  const countAll = page.getByRole('button', { name: 'Count them all' });
  await countAll.click();
  await expect(count).toHaveText('1,005 requests');
  await expect(countAll).toHaveCount(0);

  // fewer than the cap: exact at once, nothing to ask for
  await open(page, `/requests?q=${word}&status=refused`);
  await expect(count).toHaveText('5 requests');
  await expect(page.getByRole('button', { name: 'Count them all' })).toHaveCount(0);
});
