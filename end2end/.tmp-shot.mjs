import { chromium } from '@playwright/test';
const base = process.env.BASE ?? 'http://127.0.0.1:3005';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const ctx = await browser.newContext({ locale: process.env.LOC ?? 'ru-RU', viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
const errors = [];
page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
page.on('pageerror', e => errors.push('PAGEERROR ' + e.message));
const res = await page.request.post(base + '/api/login', { data: { username: 'admin', password: 'demo-admin-password' } });
console.log('login', res.status());
for (const [name, url] of (process.env.PAGES ?? 'dashboard:/,registry:/requests,new:/requests/new,request:/requests/1,import:/import,report:/report,users:/admin/users,audit:/admin/audit,groups:/admin/groups,cases:/cases,account:/account').split(',').map(s => s.split(/:(.*)/s))) {
  await page.goto(base + url);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 15000 }).catch(() => errors.push('not hydrated ' + url));
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: process.env.FULL === '1' });
  console.log(name, await page.title());
}
console.log(errors.join('\n'));
await browser.close();
