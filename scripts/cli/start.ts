import type { Config } from '../../server/src/config.js';
import { start } from '../../server/src/main.js';
import { out } from './errors.js';

/** `kaca start [--production]`: serve, and say where everything is. Credentials are printed once: on the start that made them. */
export async function startCommand(config: Config): Promise<number> {
  const started = await start(config);
  const { base, lan } = started.urls;
  const lines = [
    '',
    `Kaca is running${config.production ? ' in production mode' : ''}.`,
    `  Exam (candidates):   ${base}/`,
    `  Proctor console:     ${base}/proctor/`,
    `  Public scoreboard:   ${base}/scoreboard/`,
    `  Admin console:       ${base}/admin/`,
    `  Admin API docs:      ${base}/docs${config.production ? ' (admin session needed)' : ''}`,
    ...lan.map((u) => `  On the network:      ${u}/`),
    `  Database:            ${started.database}`,
  ];
  const demo = started.demo;
  if (demo) {
    lines.push(
      '',
      `Demo sitting "${demo.sittingId}" is running and ready to sit (no token, no admission needed).`,
      'These logins are shown now only; they stay in the file below.',
      `  Admin:    ${demo.admin.username} / ${demo.admin.password}`,
      `  Proctor:  ${demo.proctor.username} / ${demo.proctor.password}`,
      '  Candidates (registration number / PIN):',
      ...demo.candidates.slice(0, 5).map((c) => `    ${c.registrationNumber} / ${c.pin}   ${c.name}`),
      `    ... ${demo.candidates.length} in all, listed in ${started.demoFile}`,
    );
  } else if (started.demoFile) {
    lines.push('', `Demo logins (admin, proctor, candidates): ${started.demoFile}`);
  }
  // the command as it must be typed: the command line reaches this server's data only through the same DATA_DIR (and DATABASE_URL)
  if (started.needsAdmin) lines.push('', `No admin account yet: create one with  ${adminAddCommand(config)}`);
  // a receipt's QR code and link name the public receipt check: without this, the address the exam PC used
  if (!config.publicUrl) {
    lines.push(
      '',
      config.production
        ? 'KACA_PUBLIC_URL is not set: receipts will send candidates to this server\'s own /verify/, which their phones may not reach.'
        : 'KACA_PUBLIC_URL is not set: a receipt\'s QR code names the address the exam PC used, which a phone may not reach (localhost, say).',
    );
  }
  out(lines.join('\n') + '\n');
  return -1; // keep serving
}

/** `npx kaca admin add`, with the settings that point it at this server's data, quoted for a POSIX shell. */
function adminAddCommand(config: Config): string {
  const quote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const env = [`DATA_DIR=${quote(config.dataDir)}`, ...(config.databaseUrl ? ['DATABASE_URL=<the same as this server\'s>'] : [])];
  return `${env.join(' ')} npx kaca admin add <username>`;
}
