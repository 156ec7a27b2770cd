import { expect, Download, Page, test } from '@playwright/test';
import { execFile } from 'child_process';
import { promisify } from 'util';

export const PASSWORDS: Record<string, string> = {
  admin: 'demo-admin-password',
  clerk: 'demo-clerk-password',
  viewer: 'demo-viewer-password',
};

/** Signs in through the login server function (the cookie lands in the page's context). */
export async function login(page: Page, user: string, password = PASSWORDS[user]) {
  const res = await page.request.post('/api/login', { data: { username: user, password } });
  expect(res.status(), await res.text()).toBe(200);
}


/** Opens a page and waits until it is hydrated (interactive). */
export async function open(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

/** A date as YYYY-MM-DD, `days` from today (local time, like the app). */
export function isoDay(days = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

let counter = 0;
/** A registry number no other test uses. */
export function uniqueRef(prefix = 'E2E'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export interface NewRequest {
  reference: string;
  country?: string;
  kind?: string;
  offence?: string;
  legalBasis?: string;
  start?: string;
  caseNumber?: string;
  caseTitle?: string;
  summary?: string;
}

/** Fills the new-request form the way a clerk does and saves it; returns the request id. */
export async function createRequest(page: Page, r: NewRequest): Promise<number> {
  await open(page, '/requests/new');
  await page.getByLabel('Our reference').fill(r.reference);
  await page.getByLabel('Country *').fill(r.country ?? 'Lithuania');
  await page.getByLabel('Kind of assistance').selectOption(r.kind ?? 'evidence');
  await page.getByLabel('Offence').selectOption(r.offence ?? 'fraud');
  await page.getByLabel('Legal basis').selectOption(r.legalBasis ?? 'european_mla_1959');
  if (r.caseNumber) {
    await page.getByLabel('Case number').fill(r.caseNumber);
    if (r.caseTitle) await page.getByLabel('Title of the new case').fill(r.caseTitle);
  }
  if (r.summary) await page.getByLabel('Summary').fill(r.summary);
  await page.getByLabel('Sent on').fill(r.start ?? isoDay(-10));
  await page.getByRole('button', { name: 'Save request' }).click();
  await expect(page).toHaveURL(/\/requests\/\d+\?created=1$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  return Number(/\/requests\/(\d+)/.exec(page.url())![1]);
}

/** The code an authenticator app shows for a key as the account page shows it
 * (base32, in groups), `stepsAhead` steps of 30 seconds from now (RFC 6238: SHA-1, 6 digits). */
export function appCode(key: string, stepsAhead = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of key.replace(/[\s=]/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + stepsAhead));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mac: Buffer = require('crypto').createHmac('sha1', bytes).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/** A cell of a workbook as openpyxl reads it: a number, a text or a date (ISO), or empty. */
export type XCell = ['n', number] | ['s', string] | ['d', string] | null;
/** A workbook as openpyxl reads it: each sheet's frozen cell and rows. */
export type Book = Record<string, { freeze: string | null; rows: XCell[][] }>;

const PYTHON = process.env.PYTHON ?? '../tools/python/bin/python';

/** A downloaded workbook as a real reader (openpyxl, tests/read_xlsx.py) sees it. */
export async function readBook(download: Download): Promise<Book> {
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file); // openpyxl goes by the file's extension
  const { stdout } = await promisify(execFile)(PYTHON, ['tests/read_xlsx.py', file]);
  return JSON.parse(stdout);
}
