// Load test: concurrent clients call the server functions behind the registry list, the
// dashboard and the new-request form (60 % list, 30 % dashboard, 10 % create, varied
// filters) for a given time, and report requests per second, p50/p99 latency per kind,
// errors, and — with --pid — the server's resident memory, sampled every second.
//
//   node bench/load.mjs --url http://127.0.0.1:3000 --clients 100 --seconds 60 [--pid PID] [--search 0.25] [--think 0] [--mix 60,30,10]
// (--search: the share of list calls that carry a free-text search; default 0.25.
//  --think: each client pauses a random 0 to 2 × this many milliseconds before its first
//  call and between its calls, as a person reading the page would; default 0: each calls
//  again at once; --mix L,D,C[,U]: the percentages of list, dashboard and create calls,
//  default 60,30,10, and of "who am I" calls (the session's lookup alone: the floor
//  of any call's cost), by default what the others leave; --slow MS: also list on
//  standard error every call that took longer than MS milliseconds, with its
//  arguments, slowest first)
import { readFileSync } from 'node:fs';
import { signIn } from './sign-in.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const url = args.url ?? 'http://127.0.0.1:3000';
const clients = Number(args.clients ?? 100);
const seconds = Number(args.seconds ?? 60);
const pid = args.pid;
const searchShare = Number(args.search ?? 0.25);
const think = Number(args.think ?? 0);
const slowMs = args.slow === undefined ? null : Number(args.slow);
const slow = [];
const [listShare, dashboardShare, createShare = 1 - listShare - dashboardShare] = (args.mix ?? '60,30,10').split(',').map((x) => Number(x) / 100);
const tag = Date.now().toString(36);

const cookie = await signIn(url, args.user ?? 'clerk', args.password ?? 'demo-clerk-password');

const COUNTRIES = ['DE', 'LT', 'LV', 'PL', 'FR', 'KZ', 'UZ', 'AM', 'GE', 'FI', 'RU', 'US'];
const STATUSES = [null, 'Open', 'Overdue', { Is: 'refused' }, { Is: 'fulfilled' }];
const PERIODS = [{ Months: 12 }, { Months: 18 }, { Months: 24 }, 'All', { Year: 2025 }];
const today = new Date().toISOString().slice(0, 10);
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];

function list() {
  const filter = {
    direction: pick([null, 'outgoing', 'incoming']), country: pick([null, null, ...COUNTRIES]), status: pick(STATUSES),
    kind: null, offence: pick([null, 'fraud', 'corruption']), case_id: null, from: null, to: null,
    q: Math.random() < searchShare ? pick(['2025', 'müller', 'FI-', 'extradition']) : null, legal_basis: null, group_id: null,
  };
  return ['list_requests', { params: { filter, sort: pick(['Start', 'Due', 'Country']), desc: true, after: null, before: null } }];
}
function dashboard() {
  const params = {
    direction: pick(['outgoing', 'incoming']), period: pick(PERIODS), from: null, to: null,
    country: pick([null, null, null, ...COUNTRIES]), kind: pick([null, null, 'extradition']), offence: null, case_id: null,
    legal_basis: null, group_id: null, order: 'Volume', map_response: false,
  };
  return ['dashboard', { params }];
}
let n = 0;
function create() {
  n += 1;
  const input = {
    reference: `LOADMIX-${tag}-${n}`, their_reference: '', direction: 'outgoing', country: pick(COUNTRIES),
    counterpart_authority: '', kind: 'evidence', legal_basis: 'european_mla_1959', legal_basis_note: '', offence: 'fraud',
    case_number: '', case_title: '', summary: 'Load test', urgent: false, start_date: today, due_on: '', status: 'sent',
    answered_on: '', refusal_ground: '', refusal_note: '',
  };
  return ['create_request', { input }];
}

const t0 = performance.now();
// the cheapest call there is (the session's lookup and the user's name): what any call
// costs before its own work
function whoAmI() {
  return ['current_user', {}];
}

const stats = {};
const errors = {};
let stop = false;
const deadline = Date.now() + seconds * 1000;
let rssMax = 0;
const rss = [];
const sampler = pid
  ? setInterval(() => {
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
        rss.push(kb);
        rssMax = Math.max(rssMax, kb);
      } catch {}
    }, 1000)
  : null;

async function client() {
  // with pauses, each client also starts after one, as people do not all click at the
  // same millisecond (otherwise the first 100 calls arrive at once and their queue is
  // most of the run's p99)
  if (think > 0) await new Promise((r) => setTimeout(r, Math.random() * 2 * think));
  while (!stop && Date.now() < deadline) {
    const r = Math.random();
    const [endpoint, body] =
      r < listShare ? list() : r < listShare + dashboardShare ? dashboard() : r < listShare + dashboardShare + createShare ? create() : whoAmI();
    const t = performance.now();
    let status;
    try {
      const res = await fetch(`${url}/api/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
        body: JSON.stringify(body),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 'connection';
    }
    const took = performance.now() - t;
    if (slowMs !== null && took > slowMs) slow.push({ ms: Math.round(took), at_s: +((t - t0) / 1000).toFixed(2), endpoint, body });
    if (status === 200) (stats[endpoint] ??= []).push(took);
    else errors[`${endpoint} ${status}`] = (errors[`${endpoint} ${status}`] ?? 0) + 1;
    if (think > 0) await new Promise((r) => setTimeout(r, Math.random() * 2 * think));
  }
}

await Promise.all(Array.from({ length: clients }, client));
const elapsed = (performance.now() - t0) / 1000;
if (sampler) clearInterval(sampler);
const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const all = Object.values(stats).flat().sort((a, b) => a - b);
const by = Object.fromEntries(
  Object.entries(stats).map(([k, xs]) => {
    xs.sort((a, b) => a - b);
    return [k, { calls: xs.length, p50_ms: +q(xs, 0.5).toFixed(1), p99_ms: +q(xs, 0.99).toFixed(1) }];
  }),
);
if (slowMs !== null) {
  slow.sort((a, b) => b.ms - a.ms);
  for (const c of slow) console.error(JSON.stringify(c));
}
console.log(JSON.stringify({
  clients, search_share: searchShare, think_ms: think, seconds: +elapsed.toFixed(1), requests: all.length, per_second: Math.round(all.length / elapsed),
  p50_ms: +q(all, 0.5).toFixed(1), p99_ms: +q(all, 0.99).toFixed(1), errors, by_kind: by,
  rss_max_mb: pid ? Math.round(rssMax / 1024) : undefined,
}, null, 1));
