// Times `search_persons` on the server of bench/person-search.sh: 20 calls of each name,
// one at a time; prints how many were found and the median and slowest call.
const base = `http://127.0.0.1:${process.env.PORT ?? 3174}`;
const login = await fetch(`${base}/api/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'benchadmin', password: 'bench passphrase one two' }),
});
const cookie = login.headers.get('set-cookie').split(';')[0];
for (const q of ['Иванов', 'Ivanou', 'Kowalsky', 'Zz']) {
  const times = [];
  let found = 0;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/api/search_persons`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ q }),
    });
    found = (await res.json()).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${q.padEnd(10)} found ${String(found).padStart(2)}  p50 ${times[10].toFixed(1)} ms  max ${times[19].toFixed(1)} ms`);
}
