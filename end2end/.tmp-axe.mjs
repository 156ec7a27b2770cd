import { chromium } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
const base = process.env.BASE ?? 'http://127.0.0.1:3005';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const ctx = await browser.newContext({ locale: process.env.LOC ?? 'en-US' });
const page = await ctx.newPage();
await page.goto(base + '/login');
await page.waitForSelector('body[data-hydrated="true"]');
let r = await new AxeBuilder({ page }).withTags(['wcag2a','wcag2aa','wcag21a','wcag21aa']).analyze();
const show = (name, r) => { for (const v of r.violations) { console.log(name, v.impact, v.id, v.help, v.nodes.length); for (const n of v.nodes.slice(0,3)) console.log('    ', n.target.join(' '), (n.failureSummary||'').split('\n').slice(1,2).join(' ').slice(0,200)); } };
show('login', r);
const res = await page.request.post(base + '/api/login', { data: { username: 'admin', password: 'demo-admin-password' } });
for (const url of ['/', '/?period=all&country=DE', '/requests', '/requests/new', '/requests/1', '/cases', '/cases/1', '/import', '/report', '/account', '/admin/users', '/admin/audit', '/admin/groups', '/nowhere']) {
  await page.goto(base + url);
  await page.waitForSelector('body[data-hydrated="true"]');
  r = await new AxeBuilder({ page }).withTags(['wcag2a','wcag2aa','wcag21a','wcag21aa']).analyze();
  show(url, r);
}
await browser.close();
