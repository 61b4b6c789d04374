// The browser tests drive Debian's Chromium. On a fresh machine install it (root + apt-get),
// so `npm test` never skips the e2e suite; anywhere else, say exactly what is missing.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    process.stderr.write(`Chromium is missing at ${CHROMIUM}. Install it: sudo apt-get install -y chromium\n`);
    process.exit(1);
  }
  process.stdout.write('installing Debian chromium for the browser tests...\n');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core', { stdio: 'inherit', shell: '/bin/bash' });
}
