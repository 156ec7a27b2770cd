// Signs in through the login server function and returns the session cookie to send
// with the calls that follow; exits with status 2 if the sign-in fails.
export async function signIn(url, username, password) {
  const login = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) {
    console.error(`sign-in failed: ${login.status} ${await login.text()}`);
    process.exit(2);
  }
  return login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
