import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { login, open, isoDay, uniqueRef } from './helpers';

// axe-core on every page, in both languages: no serious or critical violation of WCAG 2.1
// A/AA. And the data-entry flow by keyboard alone.

async function audit(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  expect(report, `${what}: accessibility violations`).toEqual([]);
  // the audit ran the colour-contrast rule and found the page
  expect(result.passes.length + result.incomplete.length, `${what}: nothing audited`).toBeGreaterThan(5);
}

const PAGES = [
  '/',
  '/?period=all&country=DE',
  '/requests',
  '/requests?status=overdue&direction=incoming',
  '/requests?translation=missing',
  '/requests?reminder=due&assignee=none',
  '/my-work',
  '/admin/workload',
  '/requests/new',
  '/requests/1',
  '/cases',
  '/cases/1',
  '/persons',
  '/persons?q=Ivanov',
  '/persons/1',
  '/search?q=Ivanov',
  '/custody',
  '/countries/LT',
  '/countries/IS',
  '/import',
  '/report?period=all',
  '/compare',
  '/statistics',
  '/account',
  '/admin/users',
  '/admin/audit',
  '/admin/groups',
  '/admin/events',
  '/no-such-page',
];

for (const locale of ['en-US', 'ru-RU', 'be-BY']) {
  test.describe(`in ${locale}`, () => {
    test.use({ locale });

    test('the sign-in page passes axe', async ({ page }) => {
      await open(page, '/login');
      // the browser's language is the page's
      await expect(page.locator('html')).toHaveAttribute('lang', locale.slice(0, 2));
      await audit(page, '/login');
      // with its errors showing too
      await page.locator('form button[type="submit"]').click();
      await expect(page.locator('#username-error')).not.toBeEmpty();
      await audit(page, '/login with errors');
    });

    test('every page passes axe', async ({ page }) => {
      await login(page, 'admin');
      for (const url of PAGES) {
        await open(page, url);
        await audit(page, url);
      }
    });
  });
}

test('the new-request form shows its errors accessibly', async ({ page }) => {
  await login(page, 'clerk');
  await open(page, '/requests/new');
  await page.locator('form button[type="submit"]').click();
  const error = page.locator('#reference-error');
  await expect(error).toHaveText('Enter the registry number.');
  await expect(error).toHaveAttribute('aria-live', 'polite');
  await expect(page.locator('#reference')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#reference')).toHaveAttribute('aria-describedby', /reference-error/);
  await audit(page, '/requests/new with errors');
});

/** Presses Tab until the element with this id has the focus (at most 80 times). */
async function tabTo(page: Page, id: string) {
  for (let i = 0; i < 80; i++) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`#${id} cannot be reached with the Tab key`);
}

test('a clerk logs a request with the keyboard alone', async ({ page }) => {
  await login(page, 'clerk');
  await open(page, '/requests/new');
  const reference = uniqueRef('KBD');
  // the skip link comes first and jumps over the header
  await page.keyboard.press('Tab');
  await expect(page.locator('a.skip')).toBeFocused();
  await page.keyboard.press('Enter');

  await tabTo(page, 'reference');
  await page.keyboard.type(reference);
  await tabTo(page, 'country');
  await page.keyboard.type('Latvia');
  await tabTo(page, 'kind');
  await page.keyboard.press('ArrowDown'); // the first kind: evidence
  await tabTo(page, 'offence');
  await page.keyboard.press('ArrowDown'); // the first offence: drug trafficking
  await tabTo(page, 'legal_basis');
  await page.keyboard.press('ArrowDown'); // the first legal basis: Minsk 1993
  await tabTo(page, 'summary');
  await page.keyboard.type('Typed without a mouse');
  await tabTo(page, 'urgent');
  await page.keyboard.press('Space');
  await tabTo(page, 'start_date');
  const [y, m, d] = isoDay(-5).split('-');
  await page.keyboard.type(`${m}${d}${y}`);
  await expect(page.locator('#start_date')).toHaveValue(`${y}-${m}-${d}`);
  // submit from the keyboard: Enter in a text field
  await tabTo(page, 'reference');
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/requests\/\d+\?created=1$/);
  await expect(page.locator('[data-field="country"]')).toHaveText('Latvia (LV)');
  await expect(page.locator('[data-field="start_date"]')).toHaveText(`${y}-${m}-${d}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(reference);
  await expect(page.getByText('Evidence (interviews, expert opinions, records)')).toBeVisible();
  await expect(page.getByText('Drug trafficking')).toBeVisible();
  await expect(page.getByText('CIS Convention on Legal Assistance (Minsk, 1993)')).toBeVisible();
  await expect(page.locator('.badge-urgent, .urgent').first()).toBeVisible();
});

test('chart segments carry a pattern as well as a colour', async ({ page }) => {
  await login(page, 'viewer');
  await open(page, '/?period=all');
  const chart = page.locator('#chart-by-country svg');
  // every status but "fulfilled" has its own pattern, drawn over its colour, in the chart and the legend
  for (const key of ['partially_fulfilled', 'refused', 'suspended', 'in_time', 'overdue', 'withdrawn']) {
    await expect(chart.locator(`pattern#bars-pattern-${key}`)).toHaveCount(1);
    await expect(page.locator(`ul.legend li[data-key="${key}"] rect[fill="url(#swatch-${key})"]`)).toHaveCount(1);
  }
  const refused = chart.locator('a.segment[data-key="refused"]').first();
  await expect(refused.locator('rect.pattern')).toHaveAttribute('fill', 'url(#bars-pattern-refused)');
  const fulfilled = chart.locator('a.segment[data-key="fulfilled"]').first();
  await expect(fulfilled.locator('rect.pattern')).toHaveCount(0);
  // the statuses' patterns differ from each other
  const shapes = await chart
    .locator(['partially_fulfilled', 'refused', 'suspended', 'in_time', 'overdue', 'withdrawn'].map((k) => `pattern#bars-pattern-${k} path`).join(', '))
    .evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
  expect(shapes).toHaveLength(6);
  expect(new Set(shapes).size).toBe(6);
});
