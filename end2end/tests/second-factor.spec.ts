import { expect, Page, test } from '@playwright/test';
import { appCode, login, open, uniqueRef } from './helpers';

const PASSWORD = 'a long fine passphrase';

/** A fresh account made by the demo administrator, so that the demo accounts keep signing in with passwords. */
async function newAccount(page: Page, role: string): Promise<string> {
  await login(page, 'admin');
  const username = uniqueRef('two').toLowerCase();
  const res = await page.request.post('/api/create_user', {
    data: { input: { username, display_name: `Two Step ${role}`, role, password: PASSWORD } },
  });
  expect(res.status(), await res.text()).toBe(200);
  await page.request.post('/api/logout', { data: {} });
  return username;
}

/** Signs in through the page, giving `code` when the page asks for it (without one,
 * waits until the page has left the sign-in form). */
async function signIn(page: Page, username: string, code?: string) {
  await page.context().clearCookies();
  await open(page, '/login');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (code === undefined) {
    await expect(page).not.toHaveURL(/\/login/);
  } else {
    await expect(page.locator('#code-error')).toHaveText(
      'Enter the 6-digit code from your authenticator app, or a recovery code.',
    );
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
}

/** Sets up two-step sign-in on the account page; returns the key and the recovery codes. */
async function enrol(page: Page): Promise<{ key: string; recovery: string[] }> {
  await open(page, '/account');
  await expect(page.locator('#second-factor-status')).toContainText('Off');
  await page.locator('#begin-enrolment').click();
  await expect(page.locator('#enrolment-qr')).toBeVisible();
  const key = (await page.locator('#enrolment-secret').textContent())!;
  await page.locator('#enrolment-code').fill('000000');
  await page.locator('#confirm-enrolment').click();
  await expect(page.locator('#enrolment-code-error')).toHaveText('This code is wrong or was used already.');
  await page.locator('#enrolment-code').fill(appCode(key));
  await page.locator('#confirm-enrolment').click();
  await expect(page.locator('#recovery-codes li')).toHaveCount(10);
  const recovery = await page.locator('#recovery-codes li').allTextContents();
  await expect(page.locator('#second-factor-status')).toContainText('Recovery codes left: 10.');
  return { key, recovery };
}

test('a person sets up two-step sign-in by QR code, then signs in with a code and with a recovery code', async ({ page }) => {
  const username = await newAccount(page, 'clerk');
  await signIn(page, username);
  // a clerk lands on My work
  await expect(page).toHaveURL(/\/my-work$/);
  const { key, recovery } = await enrol(page);
  expect(recovery.every((c) => /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/.test(c))).toBe(true);

  // the password alone no longer signs in; the code of the app does (the next step's:
  // the one just used to set it up is good once)
  await signIn(page, username, appCode(key, 1));
  await expect(page).toHaveURL(/\/my-work$/);

  // a wrong code is refused with a message, and a recovery code signs in once
  await signIn(page, username, '123456');
  await expect(page.locator('#code-error')).toHaveText('This code is wrong or was used already.');
  await page.getByLabel('Code', { exact: true }).fill(recovery[0]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/my-work$/);
  await open(page, '/account');
  await expect(page.locator('#second-factor-status')).toContainText('Recovery codes left: 9.');
  await signIn(page, username, recovery[0]);
  await expect(page.locator('#code-error')).toHaveText('This code is wrong or was used already.');
});

test('a person sees where they are signed in and ends another browser\'s session', async ({ page, browser }) => {
  const username = await newAccount(page, 'viewer');
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, username);
  await signIn(page, username);
  await open(page, '/account');
  const rows = page.locator('table.sessions tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.locator('tr[data-current="true"]')).toContainText('this one');
  await expect(page.locator('tr[data-current="true"]')).toContainText('Chrome');
  await page.locator('tr[data-current="false"] button.end-session').click();
  await expect(rows).toHaveCount(1);
  await otherPage.goto('/requests');
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();
});

test('an administrator requires two-step sign-in: an account without it is sent to set it up first', async ({ page, browser }) => {
  const boss = await newAccount(page, 'admin');
  const clerk = await newAccount(page, 'clerk');
  await signIn(page, boss);
  await enrol(page);
  // the clerk in a browser of their own; the administrator stays signed in here
  const other = await browser.newContext();
  const clerkPage = await other.newPage();
  try {
    await open(page, '/admin/users');
    await expect(page.locator('#second-factor-policy')).toContainText('up to each person');
    await page.locator('#require-second-factor').click();
    await expect(page.getByRole('status')).toHaveText('Two-step sign-in is now required of every account.');
    await expect(page.locator('#second-factor-policy')).toContainText('required of every account');
    await expect(page.locator(`tr[data-user="${boss}"] td[data-col="two-step"]`)).toContainText('On');
    await expect(page.locator(`tr[data-user="${clerk}"] td[data-col="two-step"]`)).toContainText('Off');

    await signIn(clerkPage, clerk);
    await expect(clerkPage).toHaveURL(/\/account$/);
    await expect(clerkPage.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await expect(clerkPage.locator('#must-enrol')).toHaveText(
      'Your administrator requires two-step sign-in: set it up on your account page first.',
    );
    await clerkPage.goto('/requests');
    await expect(clerkPage).toHaveURL(/\/account$/);
    await enrol(clerkPage);
    await open(clerkPage, '/requests');
    await expect(clerkPage).toHaveURL(/\/requests$/);
  } finally {
    const res = await page.request.post('/api/set_second_factor_required', { data: { on: false } });
    expect(res.status(), await res.text()).toBe(200);
    await other.close();
  }
});
