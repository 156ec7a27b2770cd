// Creates requests through the `create_request` server function with concurrent writers,
// as fast as the server takes them, and reports creations per second and latencies.
// Every acknowledged creation (HTTP 200) is appended to --acked as soon as it is known,
// so that bench/crash.sh can check that each one survived a kill -9 of the server.
//
//   node bench/writers.mjs --url http://127.0.0.1:3000 --writers 16 --seconds 10 \
//        [--user clerk --password demo-clerk-password] [--acked FILE] [--tag RUN]
import { appendFileSync } from 'node:fs';
import { signIn } from './sign-in.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const url = args.url ?? 'http://127.0.0.1:3000';
const writers = Number(args.writers ?? 16);
const seconds = Number(args.seconds ?? 10);
const user = args.user ?? 'clerk';
const password = args.password ?? 'demo-clerk-password';
const acked = args.acked;
const tag = args.tag ?? Date.now().toString(36);

const cookie = await signIn(url, user, password);

const COUNTRIES = ['DE', 'LT', 'LV', 'PL', 'FR', 'KZ', 'UZ', 'AM', 'GE', 'FI', 'SE', 'US'];
const today = new Date().toISOString().slice(0, 10);
const latencies = [];
const errors = {};
let created = 0;
let stop = false;
const deadline = Date.now() + seconds * 1000;

async function writer(w) {
  for (let n = 0; !stop && Date.now() < deadline; n++) {
    const reference = `LOAD-${tag}-${w}-${n}`;
    const input = {
      reference, their_reference: '', direction: 'outgoing', country: COUNTRIES[(w + n) % COUNTRIES.length],
      counterpart_authority: '', kind: 'evidence', legal_basis: 'european_mla_1959', legal_basis_note: '',
      offence: 'fraud', case_number: '', case_title: '', summary: `Load test ${tag}`, urgent: false,
      start_date: today, due_on: '', status: 'sent', answered_on: '', refusal_ground: '', refusal_note: '',
    };
    const started = performance.now();
    let status;
    try {
      const res = await fetch(`${url}/api/create_request`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
        body: JSON.stringify({ input }),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      status = 'connection';
    }
    const took = performance.now() - started;
    if (status === 200) {
      created += 1;
      latencies.push(took);
      if (acked) appendFileSync(acked, `${reference}\n`);
    } else {
      errors[status] = (errors[status] ?? 0) + 1;
      // the server is gone (killed on purpose by the crash test): wait and retry
      if (status === 'connection') await new Promise((r) => setTimeout(r, 50));
    }
  }
}

process.on('SIGTERM', () => { stop = true; });
const t0 = performance.now();
await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
const elapsed = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const q = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN);
console.log(JSON.stringify({
  writers, seconds: Number(elapsed.toFixed(1)), created, per_second: Math.round(created / elapsed),
  p50_ms: Number(q(0.5).toFixed(1)), p99_ms: Number(q(0.99).toFixed(1)), errors,
}));
