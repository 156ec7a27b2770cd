import { test, expect, Page } from '@playwright/test';
import { login, open, isoDay, uniqueRef } from './helpers';

// The interface in Russian: chosen by the browser's languages, switched in the header and
// remembered; numbers, dates and country names follow the language.
test.use({ locale: 'ru-RU' });

async function tile(page: Page, key: string): Promise<string> {
  return (await page.locator(`[data-tile="${key}"] .tile-value`).innerText()).trim();
}

test('a Russian browser gets the sign-in page in Russian, with messages in Russian from the browser and the server', async ({ page }) => {
  await open(page, '/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Войти');
  // checked in the browser
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.locator('#username-error')).toHaveText('Введите имя пользователя.');
  await expect(page.locator('#password-error')).toHaveText('Введите пароль.');
  // checked by the server
  await page.getByLabel('Имя пользователя').fill('viewer');
  await page.getByLabel('Пароль').fill('not the password');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByText('Неверное имя пользователя или пароль.')).toBeVisible();
});

test('the dashboard in Russian has the same figures, written the Russian way, and the switch goes back to English', async ({ page }) => {
  await login(page, 'viewer');
  await open(page, '/?period=all');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  // counts grouped by thousands with a no-break space, as the tiles are (1 319, not 1319)
  const headline = await page.locator('#headline').innerText();
  const parts = /^Исполнено (\d{1,3}(?:[\u00a0 ]\d{3})*) из (\d{1,3}(?:[\u00a0 ]\d{3})*) исходящих запросов \((\d+,\d) %\), за всё время$/.exec(headline);
  expect(parts, headline).not.toBeNull();
  const [, satisfiedRu, baseRu, headlineRateRu] = parts!;
  const rateRu = await tile(page, 'fulfilment_rate');
  expect(rateRu).toMatch(/^\d+,\d %$/);
  const totalRu = await tile(page, 'total');
  await expect(page.locator('[data-tile="total"]')).toContainText('Всего');
  // the legend and the chart speak Russian too
  await expect(page.locator('ul.legend').first()).toContainText('Нет ответа (просрочено)');

  // the header switch: same page, same filters, in English, and remembered
  await page.locator('nav.languages').getByRole('link', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/\?period=all$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const english = (n: string) => n.replace(/[\u00a0 ]/g, ',');
  await expect(page.locator('#headline')).toHaveText(
    `${english(satisfiedRu)} of ${english(baseRu)} outgoing requests satisfied (${headlineRateRu.replace(',', '.')} %), all time`,
  );
  expect(await tile(page, 'fulfilment_rate')).toBe(rateRu.replace(',', '.'));
  // the same number, grouped the English way (1,350 for 1\u00a0350)
  expect(await tile(page, 'total')).toBe(totalRu.replace(/[\u00a0 ]/g, ','));
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'i18n_pref_locale')?.value).toBe('en');
  // the browser still prefers Russian, but the choice wins
  await open(page, '/requests');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Registry');

  await page.locator('nav.languages').getByRole('link', { name: 'Русский' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Реестр');
});

test('a clerk types a country in Russian; names, statuses and dates show in Russian', async ({ page }) => {
  await login(page, 'clerk');
  await open(page, '/requests/new');
  const reference = uniqueRef('RU');
  await page.getByLabel('Наш рег. номер').fill(reference);
  // the country field understands English names and codes as well as Russian names
  await page.getByLabel('Государство *').fill('Germany');
  await expect(page.locator('#country-hint')).toHaveText('✓ Германия (DE)');
  await page.getByLabel('Государство *').fill('lv');
  await expect(page.locator('#country-hint')).toHaveText('✓ Латвия (LV)');
  await page.getByLabel('Государство *').fill('Литва');
  await expect(page.locator('#country-hint')).toHaveText('✓ Литва (LT)');
  await page.getByLabel('Вид помощи').selectOption('evidence');
  await page.getByLabel('Преступление').selectOption('fraud');
  await page.getByLabel('Правовое основание').selectOption('european_mla_1959');
  const start = isoDay(-3);
  await page.getByLabel('Дата направления').fill(start);
  await page.getByRole('button', { name: 'Сохранить запрос' }).click();
  await expect(page).toHaveURL(/\/requests\/\d+\?created=1$/);
  await expect(page.locator('[data-field="country"]')).toHaveText('Литва (LT)');
  await expect(page.locator('[data-field="status"]')).toHaveText('Направлен');
  const [y, m, d] = start.split('-');
  await expect(page.locator('[data-field="start_date"]')).toHaveText(`${d}.${m}.${y}`);

  // the registry filter lists countries by their Russian names
  await open(page, `/requests?q=${encodeURIComponent(reference)}`);
  await expect(page.locator('#f-country option[value="DE"]')).toHaveText('Германия');
  await expect(page.locator('table tbody tr')).toHaveCount(1);
  await expect(page.locator('table tbody tr').first()).toContainText('Литва');
  await expect(page.locator('table tbody tr').first()).toContainText('Доказательства');
  await expect(page.locator('.result-count')).toHaveText('Запросов: 1');
});

test.describe('on an English page', () => {
  test.use({ locale: 'en-US' });

  test('the country field understands Russian names too', async ({ page }) => {
    await login(page, 'clerk');
    await open(page, '/requests/new');
    await page.getByLabel('Country *').fill('Германия');
    await expect(page.locator('#country-hint')).toHaveText('✓ Germany (DE)');
    await expect(page.locator('#country-list option[value="Germany (DE)"]')).toHaveAttribute('label', 'Германия / Германія');
  });

  test('the switch turns the interface Belarusian: texts, figures, country names and dates', async ({ page }) => {
    await login(page, 'clerk');
    await open(page, '/?period=all');
    const totalEn = (await tile(page, 'total')).replace(/,/g, '');
    const rateEn = await tile(page, 'fulfilment_rate');
    await page.locator('nav.languages').getByRole('link', { name: 'Беларуская' }).click();
    await expect(page).toHaveURL(/\/\?period=all$/);
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await expect(page.locator('html')).toHaveAttribute('lang', 'be');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Зводка');
    await expect(page.locator('#headline')).toHaveText(/^Выканана \d[\d\u00a0 ]* з \d[\d\u00a0 ]* зыходных запытаў \(\d+,\d %\), за ўвесь час$/);
    // the same figures, written with a decimal comma and grouped by a no-break space
    expect(await tile(page, 'fulfilment_rate')).toBe(rateEn.replace('.', ','));
    expect((await tile(page, 'total')).replace(/[\u00a0 ]/g, '')).toBe(totalEn);
    await expect(page.locator('[data-tile="total"]')).toContainText('Усяго');
    await expect(page.locator('table.answer-times caption')).toContainText('медыяна');

    // a request typed with a Belarusian country name, checked in the browser in Belarusian
    await open(page, '/requests/new');
    await page.getByRole('button', { name: 'Захаваць запыт' }).click();
    await expect(page.locator('#reference-error')).toHaveText('Пазначце рэгістрацыйны нумар.');
    const reference = uniqueRef('BE');
    await page.getByLabel('Наш рэг. нумар').fill(reference);
    await page.getByLabel('Дзяржава *').fill('Літва');
    await expect(page.locator('#country-hint')).toHaveText('✓ Літва (LT)');
    await page.getByLabel('Від дапамогі').selectOption('evidence');
    await page.getByLabel('Злачынства').selectOption('fraud');
    await page.getByLabel('Прававая падстава').selectOption('european_mla_1959');
    const start = isoDay(-3);
    await page.getByLabel('Дата накіравання').fill(start);
    await page.getByRole('button', { name: 'Захаваць запыт' }).click();
    await expect(page).toHaveURL(/\/requests\/\d+\?created=1$/);
    await expect(page.locator('[data-field="country"]')).toHaveText('Літва (LT)');
    await expect(page.locator('[data-field="status"]')).toHaveText('Накіраваны');
    const [y, m, d] = start.split('-');
    await expect(page.locator('[data-field="start_date"]')).toHaveText(`${d}.${m}.${y}`);

    // and back to English, remembered
    await page.locator('nav.languages').getByRole('link', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.locator('[data-field="country"]')).toHaveText('Lithuania (LT)');
  });
});

test.describe('before any script runs', () => {
  test.use({ locale: 'ru-RU', javaScriptEnabled: false });

  test('the server renders the page in the chosen language (no flash of English)', async ({ page }) => {
    await login(page, 'viewer');
    await page.goto('/?period=all');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Сводка');
    // the figures stream in after the page (they need the script to take their place),
    // and they are already in Russian in the HTML the server sent
    const html = await page.content();
    expect(html).toContain('исходящих запросов');
    expect(html).not.toContain('outgoing requests satisfied');
    expect(await page.locator('main').innerText()).not.toMatch(/Dashboard|Fulfilled|Loading|requests/);
    // the switch works without scripts too: it is a link to the server
    await page.locator('nav.languages').getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  });
});
