import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createRequest, login, open, uniqueRef } from './helpers';

async function noSeriousViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), what).toEqual([]);
}

// Persons: a clerk adds a person with their name in Belarusian Cyrillic, finds them by
// other spellings, links them to a request with a role, and sees the request on the
// person's page; a second person alike in name and birth is flagged before it is added.

test('a clerk adds a person, finds them by another spelling and links them to a request', async ({ page }) => {
  await login(page, 'clerk');
  const reference = uniqueRef('EXT');
  const requestId = await createRequest(page, { reference, kind: 'extradition', country: 'Lithuania' });

  // a mistake is named at its field before anything is sent
  await open(page, '/persons');
  await page.getByLabel('Name, as written in the original script').fill('Іваноў Іван Пятровіч');
  await page.getByLabel('Date or year of birth').fill('2999');
  await page.getByRole('button', { name: 'Add person' }).click();
  await expect(page.locator('#p-birth-error')).toHaveText('A date of birth between 1900 and today.');
  await expect(page).toHaveURL(/\/persons$/);

  await page.getByLabel('Date or year of birth').fill('1980-03-14');
  await page.getByLabel('Other spellings').fill('Ivanou Ivan');
  await page.getByLabel('Citizenship').fill('Belarus');
  await page.getByRole('button', { name: 'Add person' }).click();
  await expect(page).toHaveURL(/\/persons\/\d+$/);
  const personId = Number(/\/persons\/(\d+)/.exec(page.url())![1]);
  await expect(page.locator('#person-name')).toHaveText('Іваноў Іван Пятровіч');
  await expect(page.locator('#person-other-names')).toHaveText('Ivanou Ivan');
  await expect(page).toHaveTitle('Іваноў Іван Пятровіч — Rogatory');
  await expect(page.getByText('No requests yet.')).toBeVisible();

  // found by spellings of other systems and languages, and with a letter wrong
  for (const spelling of ['Iwanow', 'Иванов Иван', 'Ivanov Piatrovich', 'Ivonov']) {
    await open(page, `/persons?q=${encodeURIComponent(spelling)}`);
    await expect(page.locator(`table.persons tr[data-person="${personId}"]`), spelling).toHaveCount(1);
  }
  await open(page, '/persons?q=Sidorov');
  await expect(page.getByText('Nobody found.')).toBeVisible();

  // on the request's page: found by name and added as the wanted person
  await open(page, `/requests/${requestId}`);
  const persons = page.locator('section.request-persons');
  await expect(persons.getByText('Nobody linked to this request yet.')).toBeVisible();
  await persons.getByLabel('Find a person to add, by name').fill('Ivanov');
  await persons.getByLabel('Role').selectOption('wanted');
  await persons.getByRole('button', { name: 'Find' }).click();
  await persons.locator(`.found-persons li[data-person="${personId}"]`).getByRole('button', { name: 'Add to this request' }).click();
  const linked = persons.locator(`.linked-persons li[data-person="${personId}"]`);
  await expect(linked.locator('[data-col="role"]')).toHaveText('Wanted person');

  // kept: after a reload, and on the person's page with the request and the role
  await page.reload();
  await expect(page.locator(`section.request-persons .linked-persons li[data-person="${personId}"]`)).toHaveCount(1);
  await page.locator(`section.request-persons .linked-persons li[data-person="${personId}"] a`).click();
  await expect(page).toHaveURL(new RegExp(`/persons/${personId}$`));
  const row = page.locator(`table.person-requests tr[data-request="${reference}"]`);
  await expect(row.locator('[data-col="role"]')).toHaveText('Wanted person');
  await noSeriousViolations(page, 'the person page');
  await open(page, `/requests/${requestId}`);
  await noSeriousViolations(page, 'a request page with its persons');

  // taken off the request again
  await open(page, `/requests/${requestId}`);
  await page.locator(`.linked-persons li[data-person="${personId}"]`).getByRole('button', { name: 'Remove' }).click();
  await expect(page.locator('section.request-persons').getByText('Nobody linked to this request yet.')).toBeVisible();
});

test('a person alike in name and birth is flagged before a second one is added', async ({ page }) => {
  await login(page, 'clerk');
  const add = async (name: string, birth: string) => {
    await open(page, '/persons');
    await page.getByLabel('Name, as written in the original script').fill(name);
    await page.getByLabel('Date or year of birth').fill(birth);
    await page.getByRole('button', { name: 'Add person' }).click();
  };
  await add('Щербаков Алексей', '1975-06-01');
  await expect(page).toHaveURL(/\/persons\/\d+$/);
  const first = Number(/\/persons\/(\d+)/.exec(page.url())![1]);

  await add('Szczerbakow Aleksiej', '1975');
  const hint = page.locator('#alike');
  await expect(hint).toContainText('Possibly the same person');
  await expect(hint.locator(`tr[data-person="${first}"]`)).toHaveCount(1);
  await expect(page).toHaveURL(/\/persons$/);
  // the clerk decides it is someone else
  await hint.getByRole('button', { name: 'Add as a new person' }).click();
  await expect(page).toHaveURL(/\/persons\/\d+$/);
  expect(Number(/\/persons\/(\d+)/.exec(page.url())![1])).not.toBe(first);
  await expect(page.locator('#person-name')).toHaveText('Szczerbakow Aleksiej');
});

test('a viewer finds persons but cannot add or link them', async ({ page }) => {
  await login(page, 'viewer');
  await open(page, '/persons');
  await expect(page.getByRole('heading', { name: 'Persons', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Add a person' })).toHaveCount(0);
  await open(page, '/requests/1');
  await expect(page.locator('section.request-persons')).toBeVisible();
  await expect(page.getByLabel('Find a person to add, by name')).toHaveCount(0);
  const input = { name: 'X Y', other_names: '', birth: '', citizenship: '', documents: '', notes: '' };
  const res = await page.request.post('/api/add_person', { data: { input, anyway: true } });
  expect(res.status()).toBe(403);
});

test('the header search finds persons by another spelling and requests by reference; a clerk edits a person', async ({ page }) => {
  await login(page, 'clerk');
  const reference = uniqueRef('SRCH');
  await createRequest(page, { reference, kind: 'extradition', country: 'Lithuania' });
  const res = await page.request.post('/api/add_person', {
    data: { input: { name: 'Хмяльніцкі Уладзімір', other_names: '', birth: '1971', citizenship: 'BY', documents: '', notes: '' }, anyway: true },
  });
  expect(res.status()).toBe(200);
  const personId: number = (await res.json()).Added;

  // typed into the header's box on any page, romanised the Polish way
  await open(page, '/cases');
  await page.getByRole('searchbox', { name: 'Search persons and requests' }).fill('Chmielnicki');
  await page.getByRole('searchbox', { name: 'Search persons and requests' }).press('Enter');
  await expect(page).toHaveURL(/\/search\?q=Chmielnicki$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Search results for “Chmielnicki”');
  await expect(page.locator(`table.persons tr[data-person="${personId}"]`)).toHaveCount(1);
  // the registry's search names persons too
  await open(page, `/requests?q=${encodeURIComponent('Хмяльніцкі')}`);
  await expect(page.locator('#persons-matching a', { hasText: 'Хмяльніцкі Уладзімір' })).toHaveCount(1);
  // and a request by its reference
  await open(page, `/search?q=${encodeURIComponent(reference)}`);
  await expect(page.locator('table.registry tbody tr')).toHaveCount(1);
  await expect(page.locator('table.registry tbody tr')).toContainText(reference);

  // edited on the person's page: a wrong birth is named at its field, then saved
  await open(page, `/persons/${personId}`);
  await page.getByRole('button', { name: 'Edit person' }).click();
  await page.getByLabel('Date or year of birth').fill('1871');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#p-birth-error')).toHaveText('A date of birth between 1900 and today.');
  await page.getByLabel('Date or year of birth').fill('1971-08-02');
  await page.getByLabel('Other spellings').fill('Khmialnitski Uladzimir');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#person-other-names')).toHaveText('Khmialnitski Uladzimir');
  await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
  await page.reload();
  await expect(page.locator('#person-other-names')).toHaveText('Khmialnitski Uladzimir');
  await expect(page.locator('dl.fields')).toContainText('1971-08-02');
});
