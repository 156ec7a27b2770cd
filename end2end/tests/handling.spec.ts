import { test, expect, Page } from '@playwright/test';
import { createRequest, isoDay, login, open, uniqueRef } from './helpers';

// The day's work: a clerk takes a request, finds it in My work, stops and resumes its
// clock and sees both day figures move (on the request and on the dashboard), logs
// reminders and sees the schedule's step advance; an incoming request's executing
// authority; the administrator's workload and reminder schedule; what a viewer may do.
// Requests here go to Tonga, a country the demo set never uses.

/** Presses `button` in the handling card's form holding `form`. */
async function submitIn(page: Page, form: string, button: string) {
  await page.locator('section.handling form', { has: page.locator(form) }).getByRole('button', { name: button }).click();
}

async function myId(page: Page): Promise<number> {
  const res = await page.request.post('/api/current_user', { data: {} });
  return (await res.json()).id;
}

test('a clerk takes a request, stops and resumes its clock, and chases it step by step', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, 'clerk');
  const reference = uniqueRef('HND');
  // sent 120 days ago: the answer fell due 30 days ago, the first reminder with it
  const id = await createRequest(page, { reference, country: 'Tonga', start: isoDay(-120) });
  const card = page.locator('section.handling');
  await expect(card.locator('#assignee')).toHaveText('No one');
  await expect(card.locator('#clock-days')).toContainText('120 d.');
  await expect(card.locator('#clock-net-days')).toContainText('120 d.');
  await expect(card.locator('#next-reminder')).toContainText(`Step 1: First reminder, ${isoDay(-30)}`);
  await expect(card.locator('#next-reminder .badge')).toHaveText('due');

  // assign it to oneself
  await card.getByLabel('Assigned to').selectOption({ label: 'Demo Clerk' });
  await submitIn(page, '#h-assignee', 'Assign');
  await expect(page.getByRole('status')).toHaveText('Assignment saved.');
  await expect(card.locator('#assignee')).toHaveText('Demo Clerk');
  await expect(page.locator('ol.timeline li').first()).toContainText('Assigned to');
  await expect(page.locator('ol.timeline li').first()).toContainText('Demo Clerk');

  // My work: overdue and a reminder due; the header counts what needs action
  await open(page, '/my-work');
  await expect(page.locator('#overdue')).toContainText(reference);
  await expect(page.locator('#reminders-due tr', { hasText: reference })).toContainText('First reminder');
  const count = Number(await page.locator('#my-work-count').textContent());
  expect(count).toBeGreaterThanOrEqual(2);
  // the registry: mine, with a reminder due
  await open(page, '/requests');
  await page.getByLabel('Assigned to').selectOption({ label: 'Demo Clerk (me)' });
  await page.getByLabel('Reminder due').check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`assignee=${await myId(page)}&reminder=due`));
  await expect(page.locator('table.registry tbody tr', { hasText: reference })).toContainText('Demo Clerk');

  // a reminder logged today: the second step falls due in 30 days
  await open(page, `/requests/${id}`);
  await page.locator('#rm-date').fill(isoDay(0));
  await page.getByRole('button', { name: 'Log reminder' }).click();
  await expect(card.locator('#reminders-sent')).toHaveText('1');
  await expect(card.locator('#next-reminder')).toContainText(`Step 2: Second reminder, ${isoDay(30)}`);
  await expect(card.locator('#next-reminder .badge')).toHaveCount(0);
  await open(page, '/my-work');
  await expect(page.locator('#overdue')).toContainText(reference);
  await expect(page.locator('#reminders-due', { hasText: reference })).toHaveCount(0);
  expect(Number(await page.locator('#my-work-count').textContent())).toBe(count - 1);

  // stop the clock 20 days ago: first without saying why
  await open(page, `/requests/${id}`);
  await card.locator('#h-stop-date').fill(isoDay(-20));
  await submitIn(page, '#h-stop-date', 'Stop the clock');
  await expect(card.locator('#h-stop-reason-error')).toHaveText('Say what the request waits for.');
  await card.getByLabel('Waiting for').fill('Supplementary information on the accounts');
  await submitIn(page, '#h-stop-date', 'Stop the clock');
  await expect(card.locator('#clock-net-days')).toContainText('100 d.');
  await expect(card.locator('#clock-net-days .badge')).toHaveText('Clock stopped');
  await expect(card.locator('#clock-days')).toContainText('120 d.');
  await expect(card.locator('.clock-stops')).toContainText('Supplementary information on the accounts');
  // resumed 10 days ago: 10 days stood still; the resumption cannot precede the stop
  await card.locator('#h-resume-date').fill(isoDay(-21));
  await submitIn(page, '#h-resume-date', 'Resume the clock');
  await expect(card.locator('#h-resume-date-error')).toHaveText('The clock cannot resume before the day it stopped.');
  await card.locator('#h-resume-date').fill(isoDay(-10));
  await submitIn(page, '#h-resume-date', 'Resume the clock');
  await expect(card.locator('#clock-net-days')).toContainText('110 d.');
  await expect(card.locator('#clock-net-days .badge')).toHaveCount(0);
  await expect(page.locator('ol.timeline')).toContainText('Clock resumed');
  await expect(page.locator('ol.timeline')).toContainText('Clock stopped');

  // acknowledged five days after it was sent
  await card.locator('#h-ack-date').fill(isoDay(-115));
  await submitIn(page, '#h-ack-date', 'Save the acknowledgement');
  await expect(card.locator('#clock-ack')).toHaveText('5 d.');

  // answered today: the dashboard shows both day figures and the acknowledgement
  await page.locator('#sc-status').selectOption('fulfilled');
  await page.locator('#sc-date').fill(isoDay(0));
  await page.getByRole('button', { name: 'Change status' }).click();
  await expect(page.locator('[data-field="status"]')).toHaveText('Fulfilled');
  await expect(card.locator('#clock-days')).toHaveText('120 d. ');
  await expect(card.locator('#clock-net-days')).toContainText('110 d.');
  await open(page, '/?period=all&country=TO');
  await expect(page.locator('[data-tile="median_days"] .tile-value')).toHaveText('120');
  await expect(page.locator('[data-tile="median_net_days"] .tile-value')).toHaveText('110');
  await expect(page.locator('[data-tile="median_ack_days"] .tile-value')).toHaveText('5');
  // answered, it is no longer chased nor in My work
  await open(page, '/my-work');
  await expect(page.locator('main')).not.toContainText(reference);
});

test('an incoming request past its executing authority\'s deadline is in My work', async ({ page }) => {
  await login(page, 'clerk');
  const reference = uniqueRef('EXE');
  const input = {
    reference, their_reference: '', direction: 'incoming', country: 'TO', counterpart_authority: '', kind: 'evidence',
    legal_basis: 'reciprocity', legal_basis_note: '', offence: 'fraud', case_number: '', case_title: '', summary: '',
    urgent: false, start_date: isoDay(-40), due_on: '', status: 'received', answered_on: '', refusal_ground: '', refusal_note: '',
  };
  const res = await page.request.post('/api/create_request', { data: { input } });
  expect(res.status(), await res.text()).toBe(200);
  const id = await res.json();
  await open(page, `/requests/${id}`);
  const card = page.locator('section.handling');
  await expect(card.locator('#next-reminder')).toHaveCount(0);
  // the deadline before the day it was sent is refused, in the browser, field by field
  await card.locator('#h-authority').fill('Nukuʻalofa District Prosecutor');
  await card.locator('#h-exec-sent').fill(isoDay(-35));
  await card.locator('#h-exec-due').fill(isoDay(-36));
  await submitIn(page, '#h-authority', 'Save the executing authority');
  await expect(card.locator('#h-exec-due-error')).toHaveText('The deadline cannot come before the day it was sent.');
  await card.locator('#h-exec-due').fill(isoDay(-5));
  await submitIn(page, '#h-authority', 'Save the executing authority');
  await expect(card.locator('#execution')).toContainText('Nukuʻalofa District Prosecutor');
  await expect(card.locator('#execution .badge')).toHaveText('late');
  await expect(page.locator('ol.timeline li').first()).toContainText('Sent for execution');
  await card.getByLabel('Assigned to').selectOption({ label: 'Demo Clerk' });
  await submitIn(page, '#h-assignee', 'Assign');
  await expect(card.locator('#assignee')).toHaveText('Demo Clerk');
  await open(page, '/my-work');
  const row = page.locator('#execution-late tr', { hasText: reference });
  await expect(row).toContainText('Nukuʻalofa District Prosecutor');
  await expect(row).toContainText(isoDay(-5));
});

test('the administrator sees the workload and keeps the reminder schedule', async ({ page }) => {
  await login(page, 'admin');
  await open(page, '/admin/workload');
  const clerk = page.locator('#workload tbody tr', { hasText: 'Demo Clerk' });
  const open_ = Number(await clerk.locator('[data-field="open"]').textContent());
  expect(open_).toBeGreaterThan(0);
  // the person's open requests, in the registry
  await clerk.getByRole('link').click();
  await expect(page).toHaveURL(/\/requests\?status=open&assignee=\d+$/);
  await expect(page.locator('main .count').first()).toContainText(String(open_));

  await open(page, '/admin/workload');
  const lines = page.getByLabel('Steps');
  const before = await lines.inputValue();
  expect(before).toContain('30, Second reminder');
  await lines.fill('0, First reminder\nsoon, Second reminder');
  await page.getByRole('button', { name: 'Save the schedule' }).click();
  await expect(page.locator('#schedule-lines-error')).toContainText('Line 2: write a number of days');
  await lines.fill('0, First reminder\n45, Second reminder');
  await page.getByRole('button', { name: 'Save the schedule' }).click();
  await expect(page.getByRole('status')).toContainText('Schedule saved');
  await open(page, '/admin/workload');
  await expect(page.getByLabel('Steps')).toHaveValue('0, First reminder\n45, Second reminder');
  // put the office's schedule back
  await page.getByLabel('Steps').fill(before);
  await page.getByRole('button', { name: 'Save the schedule' }).click();
  await expect(page.getByRole('status')).toContainText('Schedule saved');
});

test('a viewer reads the handling but cannot change it', async ({ page }) => {
  await login(page, 'viewer');
  await open(page, '/requests/1');
  const card = page.locator('section.handling');
  await expect(card.locator('#clock-days')).toBeVisible();
  await expect(card.locator('form')).toHaveCount(0);
  for (const [fn, data] of [
    ['assign_request', { id: 1, assignee: null }],
    ['stop_clock', { id: 1, input: { date: isoDay(0), reason: 'x' } }],
    ['get_workload', {}],
    ['save_reminder_schedule', { input: { lines: '0, First' } }],
  ] as const) {
    const res = await page.request.post(`/api/${fn}`, { data });
    expect(res.status(), fn).toBe(403);
  }
  await open(page, '/admin/workload');
  await expect(page.locator('main')).toContainText('You are not allowed to do this.');
});
