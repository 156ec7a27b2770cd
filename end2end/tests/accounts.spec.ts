import { expect, test } from '@playwright/test';
import { PASSWORDS, createRequest, login, open, uniqueRef } from './helpers';

test('signing in from a bookmarked view, and signing out', async ({ page }) => {
  await page.goto('/requests?status=overdue');
  await expect(page).toHaveURL(/\/login\?next=%2Frequests%3Fstatus%3Doverdue$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('User name').fill('clerk');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#password-error')).toHaveText('Wrong user name or password.');
  await expect(page.getByLabel('Password')).toHaveValue('');

  await page.getByLabel('Password').fill(PASSWORDS.clerk);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/requests\?status=overdue$/);
  await expect(page.locator('header .who')).toContainText('Demo Clerk');
  await expect(page.locator('header .who')).toContainText('Clerk');

  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/cases');
  await expect(page).toHaveURL(/\/login\?next=%2Fcases$/);
});

test('a viewer reads but cannot change anything', async ({ page }) => {
  await login(page, 'clerk');
  const id = await createRequest(page, { reference: uniqueRef('VIEW') });
  await page.context().clearCookies();
  await login(page, 'viewer');
  await open(page, `/requests/${id}`);
  await expect(page.locator('[data-field="status"]')).toHaveText('Sent');
  await expect(page.getByRole('button', { name: 'Edit request' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Change status' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Log reminder' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'New request' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await open(page, '/requests/new');
  await expect(page.getByRole('alert')).toContainText('You are not allowed to do this.');
  // and the server refuses the call itself, whatever the page shows
  const res = await page.request.post('/api/create_request', { data: { input: {} } });
  expect(res.status()).toBe(403);
});

test('an administrator manages users; a locked-out user is unlocked by a password reset', async ({ page, browser }) => {
  await login(page, 'admin');
  await open(page, '/admin/users');
  const name = `e2e${Date.now().toString(36)}`;
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Full name').fill('Test Person');
  await page.getByLabel('Initial password').fill('short');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator('#nu-password-error')).toHaveText('Use at least 12 characters.');
  await page.getByLabel('Initial password').fill('password1234');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator('#nu-password-error')).toHaveText('This password is too common; choose another.');
  await page.getByLabel('Initial password').fill('a perfectly fine passphrase');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status')).toHaveText(`User ${name} created.`);
  const row = page.locator(`tr[data-user="${name}"]`);
  await expect(row).toContainText('Test Person');
  await expect(row.locator('select')).toHaveValue('clerk');

  await row.locator('select').selectOption('viewer');
  await expect(page.getByRole('status')).toHaveText(`${name} is now Viewer.`);

  // five wrong passwords lock the account
  const other = await browser.newPage();
  for (let i = 0; i < 5; i++) {
    const res = await other.request.post('/api/login', { data: { username: name, password: 'wrong wrong wrong' } });
    expect(res.status()).toBe(422);
  }
  const locked = await other.request.post('/api/login', { data: { username: name, password: 'a perfectly fine passphrase' } });
  expect(await locked.text()).toContain('locked for 15 minutes');
  await open(page, '/admin/users');
  await expect(page.locator(`tr[data-user="${name}"] [data-col="state"]`)).toHaveText('Locked (too many failed sign-ins)');

  // a reset unlocks it
  await page.getByLabel(`New password for ${name}`).fill('another fine passphrase');
  await page.locator(`tr[data-user="${name}"]`).getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('status')).toHaveText(`The password of ${name} was reset.`);
  await expect(page.locator(`tr[data-user="${name}"] [data-col="state"]`)).toHaveText('Active');
  const ok = await other.request.post('/api/login', { data: { username: name, password: 'another fine passphrase' } });
  expect(ok.status()).toBe(200);

  // disabling ends the user's session at once
  await page.locator(`tr[data-user="${name}"]`).getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByRole('status')).toHaveText(`${name} is disabled.`);
  const after = await other.request.post('/api/list_cases', { data: {} });
  expect(after.status()).toBe(401);

  // the audit trail shows all of it
  await open(page, `/admin/audit?entity=user&entity_id=${name}`);
  const actions = await page.locator('table.audit tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  expect(actions).toEqual(
    expect.arrayContaining(['user.create', 'user.role', 'account.lockout', 'user.password_reset', 'user.disable', 'login']),
  );
});

test('an edit is in the audit trail with its author, and in the request history', async ({ page }) => {
  await login(page, 'clerk');
  const ref = uniqueRef('AUD');
  const id = await createRequest(page, { reference: ref, summary: 'Before' });
  await page.getByRole('button', { name: 'Edit request' }).click();
  await page.getByLabel('Summary').fill('After');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toHaveText('Changes saved.');
  await page.getByRole('button', { name: 'Show who changed what' }).click();
  const history = page.locator('table.audit tbody tr');
  await expect(history).toHaveCount(2);
  await expect(history.nth(0)).toHaveAttribute('data-action', 'request.update');
  await expect(history.nth(0)).toContainText('clerk');
  await expect(history.nth(1)).toHaveAttribute('data-action', 'request.create');

  await page.context().clearCookies();
  await login(page, 'admin');
  await open(page, `/admin/audit?entity=request&entity_id=${id}`);
  const first = page.locator('table.audit tbody tr').first();
  await expect(first).toHaveAttribute('data-action', 'request.update');
  await first.getByText('Show').click();
  await expect(first.locator('pre')).toContainText('"summary":"Before"');
  await expect(first.locator('pre')).toContainText('"summary":"After"');
});

test('changing one\'s own password needs the current one', async ({ page }) => {
  await login(page, 'admin');
  await open(page, '/admin/users');
  const name = `pw${Date.now().toString(36)}`;
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Full name').fill('Password Changer');
  await page.getByLabel('Initial password').fill('first fine passphrase');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status')).toHaveText(`User ${name} created.`);
  await page.context().clearCookies();
  await login(page, name, 'first fine passphrase');
  await open(page, '/account');
  await page.getByLabel('Current password').fill('not it at all');
  await page.getByLabel('New password', { exact: true }).fill('second fine passphrase');
  await page.getByLabel('New password again').fill('second fine passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#pw-current-error')).toHaveText('This is not your current password.');
  await page.getByLabel('Current password').fill('first fine passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your password was changed.');
  // still signed in on this page, and the new password works
  await open(page, '/cases');
  await expect(page.locator('header .who')).toContainText('Password Changer');
  const res = await page.request.post('/api/login', { data: { username: name, password: 'second fine passphrase' } });
  expect(res.status()).toBe(200);
});

test('the first administrator made with `rogatory user add --admin` can sign in', async ({ page }) => {
  await open(page, '/login');
  await page.getByLabel('User name').fill('FirstAdmin');
  await page.getByLabel('Password').fill('first admin passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/requests$/);
  await expect(page.locator('header .who')).toContainText('First Admin');
  await expect(page.locator('header .who')).toContainText('Administrator');
  await expect(page.getByRole('link', { name: 'Users' })).toBeVisible();
});
