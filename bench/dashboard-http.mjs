// Times the dashboard server function as a browser calls it (POST /api/dashboard, signed
// in, JSON in and out), one call at a time: the median and 90th percentile of each filter
// set over --runs calls, after one call to warm up.
//
//   node bench/dashboard-http.mjs --url http://127.0.0.1:3020 [--runs 50]
import { signIn } from './sign-in.mjs';
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const url = args.url ?? 'http://127.0.0.1:3000';
const runs = Number(args.runs ?? 50);

const cookie = await signIn(url, args.user ?? 'clerk', args.password ?? 'demo-clerk-password');

const base = {
  direction: 'outgoing', period: { Months: 12 }, from: null, to: null, country: null, kind: null, offence: null,
  case_id: null, legal_basis: null, group_id: null, order: 'Volume', map_response: false,
};
const sets = [
  ['outgoing, last 12 months (default)', {}],
  ['outgoing, all time', { period: 'All' }],
  ['incoming, last 24 months', { direction: 'incoming', period: { Months: 24 } }],
  ['outgoing, all time, one country', { period: 'All', country: 'DE' }],
  ['outgoing, 2025, extradition', { period: { Year: 2025 }, kind: 'extradition' }],
];
const rows = [];
for (const [name, change] of sets) {
  const body = JSON.stringify({ params: { ...base, ...change } });
  const call = async () => {
    const start = performance.now();
    const r = await fetch(`${url}/api/dashboard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
      body,
    });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${name}: ${r.status} ${text.slice(0, 200)}`);
    return performance.now() - start;
  };
  await call();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await call());
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
  rows.push({ filters: name, median_ms: +q(0.5).toFixed(2), p90_ms: +q(0.9).toFixed(2) });
}
console.table(rows);
