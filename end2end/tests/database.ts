// The database of the server under test (playwright.config.ts starts it): a fresh SQLite
// file, or with E2E_POSTGRES set to a PostgreSQL server's URL (scripts/postgres prints
// one), a fresh database there. Specs that run the command line on it read it here.
export const PORT = Number(process.env.E2E_PORT ?? 3100);
export const PG = process.env.E2E_POSTGRES;
export const PG_NAME = `rogatory_e2e_${PORT}`;
export const DB = PG ? `${PG.replace(/\/[^/?]*(\?.*)?$/, '')}/${PG_NAME}` : `sqlite://.tmp/e2e-${PORT}.db`;
