import { expect, test } from '@playwright/test';
import { login, open, PASSWORDS, uniqueRef } from './helpers';

// What an attack on a fresh build found, each seen the way a person meets it.

const MARKUP = '</title><meta http-equiv=refresh content=0;url=//evil.example/>';

test('a request whose reference is markup keeps its viewer on the site, load after load', async ({ page }) => {
  await login(page, 'clerk');
  const created = await page.request.post('/api/create_request', {
    data: {
      input: {
        reference: MARKUP, their_reference: '', direction: 'outgoing', country: 'DE', counterpart_authority: '',
        kind: 'evidence', legal_basis: 'european_mla_1959', legal_basis_note: '', offence: 'fraud', case_number: '',
        case_title: '', summary: '', urgent: false, start_date: '2025-03-01', due_on: '', status: 'sent',
        answered_on: '', refusal_ground: '', refusal_note: '',
      },
    },
  });
  expect(created.status(), await created.text()).toBe(200);
  const id = await created.json();
  await login(page, 'viewer');
  for (let n = 0; n < 12; n++) {
    await page.goto(`/requests/${id}`);
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await expect(page.locator('#request-reference')).toHaveText(MARKUP);
    await expect(page).toHaveTitle(`${MARKUP} — Rogatory`);
    expect(await page.locator('meta[http-equiv]').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe(`/requests/${id}`);
  }
});

test('signing in from a link that names another site lands on the registry', async ({ page }) => {
  for (const next of ['/%5Cevil.example', '/%09/evil.example', '//evil.example']) {
    await page.context().clearCookies();
    await open(page, `/login?next=${next}`);
    await page.getByLabel('User name').fill('viewer');
    await page.getByLabel('Password').fill(PASSWORDS.viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/requests$/);
  }
  // the language switch goes back only to this site
  await page.goto('/language?to=en&back=/%09/evil.example');
  expect(new URL(page.url()).pathname).toBe('/');
});

/** Text in Windows-1251, the encoding of older Russian-language spreadsheets. */
function windows1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((c) => {
      const code = c.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (c === 'Ё') return 0xa8;
      if (c === 'ё') return 0xb8;
      throw new Error(`not in the test's table: ${c}`);
    }),
  );
}

const HEADER =
  'reference,their_reference,direction,country,counterpart_authority,kind,legal_basis,offence,case_number,case_title,summary,urgent,start_date,due_on,status,answered_on,refusal_ground';

test('a Windows-1251 file is refused as it is and imported once converted, its Cyrillic intact', async ({ page }) => {
  await login(page, 'clerk');
  const ref = uniqueRef('CP1251');
  const summary = 'Допрос свидетеля Ёлкина по делу о мошенничестве';
  const text = `${HEADER}\n${ref},,outgoing,LT,Генеральная прокуратура,evidence,european_mla_1959,fraud,,,${summary},false,2025-01-10,,sent,,\n`;
  await open(page, '/import');
  await page.locator('#import-file').setInputFiles({ name: 'cp1251.csv', mimeType: 'text/csv', buffer: windows1251(text) });
  await expect(page.locator('#import-file-error')).toHaveText(
    'The file is not UTF-8 text (line 2): save it as "CSV UTF-8" and choose it again.',
  );
  await expect(page.locator('#import-check')).toBeDisabled();
  await expect(page.locator('#import-convert-sample')).toContainText('LT,Генеральная прокуратура,evidence');
  await page.locator('#import-convert-1251').click();
  await expect(page.locator('#import-file-error')).toHaveText('');
  await page.locator('#import-check').click();
  await expect(page.locator('#import-summary')).toHaveText('Dry run: 1 rows would be imported (1 new, 0 updates). Nothing was written.');
  await page.locator('#import-commit').click();
  await expect(page.locator('#import-summary')).toHaveText('Imported 1 rows: 1 created, 0 updated.');
  await open(page, `/requests?q=${encodeURIComponent(ref)}`);
  await page.getByRole('link', { name: ref }).click();
  await expect(page.getByText(summary)).toBeVisible();
  await expect(page.getByText('Генеральная прокуратура')).toBeVisible();
});

test('an unclosed quote is reported on its line instead of swallowing the rows after it', async ({ page }) => {
  await login(page, 'clerk');
  const [a, b, c] = [uniqueRef('Q'), uniqueRef('Q'), uniqueRef('Q')];
  const row = (ref: string, summary: string) => `${ref},,outgoing,LT,,evidence,european_mla_1959,fraud,,,${summary},false,2025-01-10,,sent,,`;
  const text = [HEADER, row(a, 'fine'), row(b, '"never closed'), row(c, 'would be swallowed')].join('\n') + '\n';
  await open(page, '/import');
  await page.locator('#import-file').setInputFiles({ name: 'quote.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.locator('#import-check').click();
  await expect(page.locator('#import-summary')).toContainText('Nothing was imported');
  await expect(page.locator('tr[data-line="3"] td').last()).toContainText('A quotation mark opens a field on this line and is never closed');
  await expect(page.locator('#import-commit')).toHaveCount(0);
});
