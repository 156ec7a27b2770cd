// One registry list, called again and again by one client: its median and slowest time.
// For measuring one shape of the list (a filter and an order) rather than a mix.
//
//   node bench/list-shape.mjs --url http://127.0.0.1:3000 [--q 2025] [--status Open] [--country DE]
//        [--direction outgoing] [--sort Start|Due|Country] [--times 40]
// (--status: Open, Overdue, or a status code such as refused; the first 5 calls warm up
//  and are not counted)
import { signIn } from './sign-in.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const url = args.url ?? 'http://127.0.0.1:3000';
const times = Number(args.times ?? 40);
const status = args.status === undefined ? null : ['Open', 'Overdue'].includes(args.status) ? args.status : { Is: args.status };
const filter = {
  direction: args.direction ?? null, country: args.country ?? null, status, kind: null, offence: null, case_id: null,
  from: null, to: null, q: args.q ?? null, legal_basis: null, group_id: null,
};
const params = { filter, sort: args.sort ?? 'Start', desc: true, after: null, before: null };
const cookie = await signIn(url, args.user ?? 'clerk', args.password ?? 'demo-clerk-password');

async function call() {
  const started = performance.now();
  const res = await fetch(`${url}/api/list_requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
    body: JSON.stringify({ params }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
  return [performance.now() - started, body];
}

for (let i = 0; i < 5; i++) await call();
const ms = [];
let last;
for (let i = 0; i < times; i++) {
  const [t, body] = await call();
  ms.push(t);
  last = body;
}
ms.sort((a, b) => a - b);
const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(1);
console.log(JSON.stringify({
  params: filter, sort: params.sort, calls: times, p50_ms: Number(at(0.5)), max_ms: Number(ms[ms.length - 1].toFixed(1)),
  rows: last.rows.length, total: last.total, total_capped: last.total_capped,
}));
