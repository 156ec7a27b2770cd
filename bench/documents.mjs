// Uploads one file of MB megabytes from each of CLIENTS clients at once to the server of
// bench/documents.sh, then downloads each back; prints the throughput of each phase and
// checks every byte came back.
const base = `http://127.0.0.1:${process.env.PORT ?? 3175}`;
const mb = Number(process.env.MB ?? 50);
const clients = Number(process.env.CLIENTS ?? 10);
const login = await fetch(`${base}/api/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'benchclerk', password: 'bench passphrase one two' }),
});
if (!login.ok) throw new Error(`sign-in: ${login.status} ${await login.text()}`);
const cookie = login.headers.get('set-cookie').split(';')[0];
// a text file: lines of numbered words (the text is read on upload, like a real one)
function file(n) {
  const line = Buffer.from(`${'word '.repeat(12)}line of client ${n}\n`);
  const out = Buffer.alloc(mb * 1024 * 1024);
  for (let i = 0; i < out.length; i += line.length) line.copy(out, i);
  return out;
}
const files = Array.from({ length: clients }, (_, i) => file(i));
let t = performance.now();
const ids = await Promise.all(
  files.map(async (body, i) => {
    const res = await fetch(`${base}/api/upload_document?request=${i + 1}&name=bench-${i}.txt&kind=other&flow=received`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', cookie },
      body,
    });
    if (!res.ok) throw new Error(`upload ${i}: ${res.status} ${await res.text()}`);
    return (await res.json()).id;
  }),
);
let s = (performance.now() - t) / 1000;
console.log(`  upload:   ${clients} × ${mb} MB in ${s.toFixed(1)} s = ${((clients * mb) / s).toFixed(0)} MB/s`);
t = performance.now();
await Promise.all(
  ids.map(async (id, i) => {
    const res = await fetch(`${base}/documents/${id}`, { headers: { cookie } });
    const back = Buffer.from(await res.arrayBuffer());
    if (!back.equals(files[i])) throw new Error(`download ${id} differs`);
  }),
);
s = (performance.now() - t) / 1000;
console.log(`  download: ${clients} × ${mb} MB in ${s.toFixed(1)} s = ${((clients * mb) / s).toFixed(0)} MB/s`);
