// Sign-in flood: N concurrent sign-in attempts with distinct unknown user names, as an
// attacker without an account can send them, while the server's memory is sampled
// (/proc/PID/status, every 20 ms). Prints the answers by status, the time taken, and
// the server's resident memory before, at its peak and after.
//
//   node bench/sign-in-flood.mjs --url http://127.0.0.1:3040 --pid PID [--attempts 500]
//
// Start the server with ROGATORY_SIGN_INS_PER_MINUTE=0 to measure the password checks
// themselves (with the default limit, all but 20 attempts from one address get 429 at once).
import { readFileSync } from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const url = args.url ?? 'http://127.0.0.1:3040';
const pid = Number(args.pid);
const attempts = Number(args.attempts ?? 500);
if (!pid) {
  console.error('usage: node bench/sign-in-flood.mjs --url URL --pid PID [--attempts N]');
  process.exit(2);
}

const rssMb = () => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
};

const before = rssMb();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 20);
const started = performance.now();
const statuses = {};
await Promise.all(
  Array.from({ length: attempts }, async (_, n) => {
    const res = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username: `nobody-${n}-${Date.now()}`, password: 'a guessed password' }),
    });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  }),
);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, rssMb());
await new Promise((r) => setTimeout(r, 2000));
const after = rssMb();
console.log(
  JSON.stringify({ attempts, seconds: Number(seconds.toFixed(2)), statuses, rss_mb: { before: +before.toFixed(1), peak: +peak.toFixed(1), after: +after.toFixed(1) } }),
);
