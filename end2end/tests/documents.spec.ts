import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'fs';
import { createRequest, login, open, uniqueRef } from './helpers';

// Documents: a clerk drops the letter of request onto a request (after a field error
// first) together with a file that is not a safe type, sees the progress and the
// refusal, the document on the timeline and the translation warning gone; downloads it
// byte for byte; finds it by a word inside it from the search page and the registry. A
// viewer may read but not upload.

/** A one-page PDF with a line of text, laid out as a PDF writer does. */
function pdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Drops files onto the drop zone as a browser does when files are dragged from the desktop. */
async function drop(page: Page, files: { name: string; type: string; bytes: Buffer }[]) {
  const data = files.map((f) => ({ name: f.name, type: f.type, base64: f.bytes.toString('base64') }));
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return dt;
  }, data);
  await page.locator('.dropzone').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer: transfer });
}

test('a clerk drops documents on a request, downloads one and finds it by a word inside it', async ({ page }) => {
  await login(page, 'clerk');
  const reference = uniqueRef('DOC');
  const word = `zelmorvik${Date.now().toString(36)}`;
  const letter = pdf(`Letter of request concerning ${word} and others`);
  const requestId = await createRequest(page, { reference, country: 'Lithuania' });

  // Lithuania's profile accepts Lithuanian, English and Russian: nothing sent yet
  const documents = page.locator('section.request-documents');
  await expect(documents.locator('#translation-missing')).toContainText('(English, Lithuanian, Russian)');
  await open(page, `/requests?translation=missing&q=${reference}`);
  await expect(page.getByRole('link', { name: reference })).toBeVisible();
  await expect(page.getByLabel('Translation missing')).toBeChecked();

  // the details are checked before anything is sent
  await open(page, `/requests/${requestId}`);
  await drop(page, [{ name: 'letter.pdf', type: 'application/pdf', bytes: letter }]);
  await expect(page.locator('#doc-kind-error')).toHaveText('Choose the kind of document.');
  await expect(documents.getByText('No documents yet.')).toBeVisible();

  const form = page.locator('form.upload-documents');
  await form.getByLabel('Kind').selectOption('letter_of_request');
  await form.getByLabel('Language').selectOption('lt');
  await form.getByLabel('Our number').fill('12/3-456');
  const html = Buffer.from('<html><script>alert(1)</script></html>');
  await drop(page, [
    { name: 'letter.pdf', type: 'application/pdf', bytes: letter },
    { name: 'looks-like.pdf', type: 'application/pdf', bytes: html },
  ]);
  const uploads = page.locator('.uploads li');
  await expect(uploads).toHaveCount(2);
  await expect(uploads.nth(0)).toContainText('Uploaded');
  await expect(uploads.nth(0).locator('progress')).toHaveAttribute('value', '100');
  await expect(uploads.nth(1).getByRole('alert')).toContainText('looks-like.pdf: only PDF, images');

  // listed once (the refused file is not), the warning gone, on the timeline
  const rows = documents.locator('tr.document');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('letter.pdf');
  await expect(rows.first()).toContainText('Letter of request');
  await expect(rows.first()).toContainText('Lithuanian');
  await expect(rows.first()).toContainText('12/3-456');
  await expect(documents.locator('#translation-missing')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.locator('.timeline .event-document')).toContainText('Document added');
  await expect(page.locator('.timeline .event-document')).toContainText('letter.pdf');
  await open(page, `/requests?translation=missing&q=${reference}`);
  await expect(page.getByRole('link', { name: reference })).toHaveCount(0);

  // downloaded as an attachment, byte for byte
  await open(page, `/requests/${requestId}`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    documents.getByRole('link', { name: 'letter.pdf' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('letter.pdf');
  expect(readFileSync(await download.path()).equals(letter)).toBe(true);

  // found by a word inside it: the search page and the registry's search
  await open(page, `/search?q=${word}`);
  const hit = page.locator('.document-hits li');
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText(reference);
  await expect(hit.locator('.excerpt')).toContainText(`concerning ${word}`);
  await open(page, `/requests?q=${word}`);
  await expect(page.locator('#documents-matching').getByRole('link')).toHaveText(`${reference} — letter.pdf`);
  await page.locator('#documents-matching').getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/requests/${requestId}$`));

  // a clerk deletes it: the warning is back, the deletion on the timeline
  await documents.getByRole('button', { name: 'Delete letter.pdf' }).click();
  await expect(rows).toHaveCount(0);
  await expect(documents.locator('#translation-missing')).toBeVisible();
});

test('a viewer sees documents but cannot upload, and anonymous downloads go to sign-in', async ({ page, browser }) => {
  await login(page, 'clerk');
  const requestId = await createRequest(page, { reference: uniqueRef('DOCV'), country: 'Lithuania' });
  const up = await page.request.post(
    `/api/upload_document?request=${requestId}&name=note.txt&kind=other&flow=received&language=en`,
    { data: Buffer.from('Acknowledged, thank you.\n'), headers: { 'content-type': 'application/octet-stream' } },
  );
  expect(up.status(), await up.text()).toBe(200);
  const id = (await up.json()).id;

  const viewer = await browser.newPage();
  await login(viewer, 'viewer');
  await open(viewer, `/requests/${requestId}`);
  await expect(viewer.locator('section.request-documents tr.document')).toContainText('note.txt');
  await expect(viewer.locator('.upload-documents')).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  const refused = await viewer.request.post(`/api/upload_document?request=${requestId}&name=x.txt&kind=other&flow=sent`, {
    data: Buffer.from('text'),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(refused.status()).toBe(403);
  const res = await viewer.request.get(`/documents/${id}`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-disposition']).toContain('attachment');
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
  expect(await res.text()).toBe('Acknowledged, thank you.\n');
  await viewer.close();

  const anonymous = await browser.newContext();
  const res2 = await anonymous.request.get(`/documents/${id}`, { maxRedirects: 0 });
  expect(res2.status()).toBe(303);
  expect(res2.headers()['location']).toContain('/login');
  await anonymous.close();
});
