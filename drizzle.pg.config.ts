import { defineConfig } from 'drizzle-kit';

// The PostgreSQL dialect (issue 16): `npx drizzle-kit generate --config drizzle.pg.config.ts`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/schema-pg.ts',
  out: './server/migrations-pg',
});
