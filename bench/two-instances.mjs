// Two `rogatory serve` instances on one PostgreSQL database work as one: what one
// instance writes or decides, the other sees at once. Run by bench/two-instances.sh.
//
//   node bench/two-instances.mjs --a http://127.0.0.1:3170 --b http://127.0.0.1:3171
// Exits non-zero, naming the check, when one fails.
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const A = args.a;
const B = args.b;
const tag = Date.now().toString(36);

async function call(base, endpoint, body, cookie) {
  const res = await fetch(`${base}/api/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch {}
  return { status: res.status, json, text, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
}

let failed = 0;
function check(ok, what, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failed += 1;
}

const signIn = (base, username, password) => call(base, 'login', { username, password });
const total = async (base, cookie) => {
  const params = {
    direction: 'outgoing', period: 'All', from: null, to: null, country: 'LT', kind: null, offence: null, case_id: null,
    legal_basis: null, group_id: null, order: 'Volume', map_response: false,
  };
  const r = await call(base, 'dashboard', { params }, cookie);
  return r.status === 200 ? r.json.figures.counts : null;
};
const find = async (base, cookie, q) => {
  const filter = {
    direction: null, country: null, status: null, kind: null, offence: null, case_id: null, from: null, to: null, q,
    legal_basis: null, group_id: null,
  };
  const r = await call(base, 'list_requests', { params: { filter, sort: 'Start', desc: true, after: null, before: null } }, cookie);
  return r.status === 200 ? r.json.rows : null;
};
const today = new Date().toISOString().slice(0, 10);
const input = (reference, status = 'sent') => ({
  reference, their_reference: '', direction: 'outgoing', country: 'LT', counterpart_authority: '', kind: 'evidence',
  legal_basis: 'european_mla_1959', legal_basis_note: '', offence: 'fraud', case_number: '', case_title: '',
  summary: 'Two instances', urgent: false, start_date: today, due_on: '', status, answered_on: '', refusal_ground: '',
  refusal_note: '',
});

// 1. a session opened on A is good on B
const login = await signIn(A, 'clerk', 'demo-clerk-password');
check(login.status === 200, 'sign in on A', `HTTP ${login.status}`);
const cookie = login.cookie;
const me = await call(B, 'current_user', {}, cookie);
check(me.status === 200 && me.json?.username === 'clerk', 'the session opened on A is known to B', me.text.slice(0, 80));
const page = await fetch(`${B}/requests`, { headers: { cookie }, redirect: 'manual' });
check(page.status === 200, 'B serves a signed-in page for it', `HTTP ${page.status}`);

// 2. what A writes, B counts and finds at once
const before = await total(B, cookie);
const created = await call(A, 'create_request', { input: input(`TWO-${tag}-1`) }, cookie);
check(created.status === 200, 'A creates a request', `HTTP ${created.status} ${created.text.slice(0, 120)}`);
const after = await total(B, cookie);
check(before && after && after.total === before.total + 1 && after.open === before.open + 1,
  "B's dashboard counts A's new request", `${before?.total} -> ${after?.total}`);
const rows = await find(B, cookie, `TWO-${tag}-1`);
check(rows?.length === 1, "B's registry finds it", `${rows?.length} rows`);

// 3. one reference, claimed on both instances at the same moment: exactly one wins
const race = await Promise.all([A, B, A, B].map((base) => call(base, 'create_request', { input: input(`TWO-${tag}-race`) }, cookie)));
const wins = race.filter((r) => r.status === 200).length;
check(wins === 1 && race.every((r) => r.status === 200 || (r.status === 422 && /"field":"reference"/.test(r.text))),
  'the same reference sent to both at once is created once', race.map((r) => r.status).join(','));

// 4. two people save the same version on different instances: one wins, one is told
const id = created.json;
const got = await call(B, 'get_request', { id }, cookie);
const version = got.json?.request?.version ?? got.json?.version;
const edit = (base, summary) => call(base, 'update_request', { id, version, input: { ...input(`TWO-${tag}-1`), summary } }, cookie);
const saves = await Promise.all([edit(A, 'Saved on A'), edit(B, 'Saved on B')]);
const codes = saves.map((s) => s.status).sort().join(',');
check(codes === '200,409', 'simultaneous saves of one version on A and B: one wins, one conflict', `${codes} ${saves.map((s) => s.text.slice(0, 60)).join(' | ')}`);

// 5. failed sign-ins count across instances: five, alternating, lock the account on both
for (const base of [A, B, A, B, A]) await signIn(base, 'viewer', 'wrong password');
const locked = await signIn(B, 'viewer', 'demo-viewer-password');
check(locked.status !== 200, 'five failures spread over A and B lock the account', `HTTP ${locked.status} ${locked.text.slice(0, 80)}`);

// 6. signing out on B ends the session on A
const out = await call(B, 'logout', {}, cookie);
check(out.status === 200, 'sign out on B');
const gone = await call(A, 'current_user', {}, cookie);
const anonymous = gone.status !== 200 || gone.json === null || gone.json?.username !== 'clerk';
check(anonymous, 'A no longer knows the session', `HTTP ${gone.status} ${gone.text.slice(0, 60)}`);
const refused = await call(A, 'dashboard', { params: {} }, cookie);
check(refused.status === 401, 'A refuses its calls', `HTTP ${refused.status}`);

if (failed) {
  console.log(`${failed} check(s) failed`);
  process.exit(1);
}
console.log('two instances on one database: every check passed');
