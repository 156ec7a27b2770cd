import { defineConfig } from '@playwright/test';
import { DB, PG, PG_NAME, PORT } from './tests/database';

// The server under test: the release binary on a fresh SQLite file with the demo data
// (fixed seed), on its own port. Tests make their own requests with unique references.
// With E2E_POSTGRES set to a PostgreSQL server's URL (scripts/postgres prints one), the
// same on a fresh PostgreSQL database there instead.
const FRESH_PG = PG
  ? `psql -q '${PG}' -c 'DROP DATABASE IF EXISTS ${PG_NAME} WITH (FORCE)' -c 'CREATE DATABASE ${PG_NAME}' && `
  : '';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '.tmp/results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  // The suite signs in far more often than a person from one address may
  // (--sign-ins-per-minute, default 20); the limit itself is tested in the server's tests.
  webServer: {
    command:
      `rm -rf .tmp && mkdir -p .tmp && ${FRESH_PG}` +
      `../target/release/rogatory --database-url ${DB} demo && ` +
      `echo 'first admin passphrase' | ../target/release/rogatory --database-url ${DB} user add --admin --name 'First Admin' firstadmin && ` +
      `../target/release/rogatory --database-url ${DB} serve --port ${PORT} --site-root ../target/site --sign-ins-per-minute 600`,
    url: `http://127.0.0.1:${PORT}/requests`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
