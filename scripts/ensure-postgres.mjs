// The storage tests also run against PostgreSQL (issue 16): 127.0.0.1:5432, trust auth, database
// `test`, as on the project's machines. If it is not answering, start the machine's cluster
// (Debian's pg_ctlcluster, as root), so `npm test` never skips that suite; anywhere else, say
// exactly what is missing. KACA_TEST_PG_URL points the tests at another server.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

const url = new URL(process.env.KACA_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test');
const port = Number(url.port || 5432);

function answers() {
  return new Promise((resolve) => {
    const s = connect({ host: url.hostname, port }, () => (s.end(), resolve(true)));
    s.on('error', () => resolve(false));
    s.setTimeout(2000, () => (s.destroy(), resolve(false)));
  });
}

if (!(await answers())) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const clusters = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (!root || clusters.length === 0 || process.env.KACA_TEST_PG_URL) {
    process.stderr.write(`PostgreSQL is not answering at ${url.hostname}:${port}. Start it (Debian: pg_ctlcluster <version> main start), or set KACA_TEST_PG_URL.\n`);
    process.exit(1);
  }
  process.stdout.write(`starting PostgreSQL ${clusters[0]} for the storage tests...\n`);
  execSync(`pg_ctlcluster --skip-systemctl-redirect ${clusters[0]} main start`, { stdio: 'inherit' });
  for (let i = 0; i < 50 && !(await answers()); i++) await new Promise((r) => setTimeout(r, 200));
  if (!(await answers())) {
    process.stderr.write(`PostgreSQL did not come up at ${url.hostname}:${port}.\n`);
    process.exit(1);
  }
}

// The several-nodes test (tests/cluster/) runs a Redis of its own, which it kills and starts
// again: it needs the redis-server program (Debian's redis-server package), installed here when
// missing and root, as the browser tests' Chromium is.
const hasRedis = () => {
  try {
    execSync('command -v redis-server', { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};
if (!hasRedis()) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    process.stderr.write('redis-server is not installed: install it (Debian: apt-get install redis-server) for the several-nodes test.\n');
    process.exit(1);
  }
  process.stdout.write('installing redis-server for the several-nodes test...\n');
  execSync('apt-get install -y --no-install-recommends redis-server || (apt-get update && apt-get install -y --no-install-recommends redis-server)', { stdio: 'inherit', shell: '/bin/sh' });
}
