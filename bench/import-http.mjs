// Imports a generated CSV file through the import page's server function, as the browser
// sends it (signed in as a clerk, the file's text in JSON), and reports the time and —
// with --pid — the server's resident memory before, at its highest during, and after
// the import (sampled every 100 ms), then again after --settle seconds.
//
//   node bench/import-http.mjs --url http://127.0.0.1:3000 --rows 100000 --pid PID [--dry-run] [--settle 5]
//
// The rows are those of `cargo bench -p server --bench import` (both directions, eight
// countries by code and by name, answered, refused and open requests, 500 cases), with
// references of this run's own, so that the command can be run again on one database.
import { readFileSync } from 'node:fs';
import { signIn } from './sign-in.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]?.startsWith('--') ? true : all[i + 1] ?? true]] : pairs), []),
);
const url = args.url ?? 'http://127.0.0.1:3000';
const rows = Number(args.rows ?? 100000);
const pid = args.pid;
const dryRun = args['dry-run'] !== undefined;
const settle = Number(args.settle ?? 5);
const tag = Date.now().toString(36).toUpperCase();

const COLUMNS = ['reference', 'their_reference', 'direction', 'country', 'counterpart_authority', 'kind', 'legal_basis',
  'offence', 'case_number', 'case_title', 'summary', 'urgent', 'start_date', 'due_on', 'status', 'answered_on', 'refusal_ground'];
const COUNTRIES = ['DE', 'FR', 'KZ', 'LT', 'Poland', 'US', 'CN', 'Armenia'];
const KINDS = ['evidence', 'documents', 'information', 'assets'];
const OFFENCES = ['fraud', 'corruption', 'cybercrime', 'money_laundering'];
const pad = (n, w) => String(n).padStart(w, '0');

function generate() {
  const lines = [COLUMNS.join(',')];
  for (let n = 0; n < rows; n++) {
    const day = 1 + (n % 28);
    const month = 1 + (Math.floor(n / 28) % 12);
    const answered = `2025-${pad(month, 2)}-${pad(day, 2)}`;
    const [status, answeredOn, ground] =
      n % 5 === 0 ? ['fulfilled', answered, ''] : n % 5 === 1 ? ['refused', answered, 'dual_criminality'] : n % 5 === 2 ? ['in_progress', '', ''] : n % 4 === 0 ? ['received', '', ''] : ['sent', '', ''];
    lines.push([
      `H${tag}-${pad(n, 7)}`, '', n % 4 === 0 ? 'incoming' : 'outgoing', COUNTRIES[n % COUNTRIES.length], '', KINDS[n % KINDS.length],
      'european_mla_1959', OFFENCES[n % OFFENCES.length], `C-${n % 500}`, `Case ${n % 500}`, `"Summary of request ${n}, with a comma"`,
      String(n % 10 === 0), `2024-${pad(month, 2)}-${pad(day, 2)}`, '', status, answeredOn, ground,
    ].join(','));
  }
  return lines.join('\n') + '\n';
}

function rssMb() {
  if (!pid) return null;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

const content = generate();
const cookie = await signIn(url, args.user ?? 'clerk', args.password ?? 'demo-clerk-password');
const before = rssMb();
let highest = before ?? 0;
const sampler = pid ? setInterval(() => { highest = Math.max(highest, rssMb()); }, 100) : null;
const start = performance.now();
const answer = await fetch(`${url}/api/import_requests`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
  body: JSON.stringify({ file_name: `bench-${tag}.csv`, content, dry_run: dryRun, update: false }),
});
const body = await answer.text();
const seconds = (performance.now() - start) / 1000;
if (sampler) clearInterval(sampler);
const after = rssMb();
console.log(`${rows} rows (${(content.length / 1048576).toFixed(1)} MB of CSV)${dryRun ? ', dry run' : ''}: HTTP ${answer.status} in ${seconds.toFixed(1)} s`);
if (answer.status !== 200) console.log(body.slice(0, 500));
else {
  const report = JSON.parse(body);
  console.log(`created ${report.created}, committed ${report.committed}, errors ${report.errors.length}, conflicts ${report.conflicts.length}`);
}
if (pid) {
  await new Promise((r) => setTimeout(r, settle * 1000));
  console.log(`server RSS: ${before.toFixed(0)} MB before, ${highest.toFixed(0)} MB at most during, ${after.toFixed(0)} MB just after, ${rssMb().toFixed(0)} MB ${settle} s later`);
}
process.exit(answer.status === 200 ? 0 : 1);
