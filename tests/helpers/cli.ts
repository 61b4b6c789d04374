import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_ON_POSTGRES, databaseForDir, dirDatabaseUrl } from './postgres.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KACA_BIN = fileURLToPath(new URL('../../bin/kaca.mjs', import.meta.url));

/** In the postgres project, a command on a data dir works on that dir's database (tests/helpers/postgres.ts). */
function onDirDatabase(env: Record<string, string>): Record<string, string> {
  return TEST_ON_POSTGRES && env.DATA_DIR && !env.DATABASE_URL ? { ...env, DATABASE_URL: dirDatabaseUrl(env.DATA_DIR) } : env;
}

/** Runs `kaca <args>` to completion. */
export function kaca(args: string[], given: Record<string, string>) {
  const env = onDirDatabase(given);
  const r = spawnSync(process.execPath, [KACA_BIN, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `kaca start` and resolves once it prints that it is running. */
export async function startKaca(given: Record<string, string>, extraArgs: string[] = []): Promise<{ child: ChildProcess; output: () => string; baseUrl: string }> {
  if (TEST_ON_POSTGRES && given.DATA_DIR && !given.DATABASE_URL) await databaseForDir(given.DATA_DIR);
  const env = onDirDatabase(given);
  const child = spawn(process.execPath, [...extraArgs, KACA_BIN, 'start'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kaca start did not come up:\n${out}`)), 45_000);
    const check = () => {
      const m = /Exam \(candidates\):\s+(http:\/\/\S+?)\/\s/.exec(out);
      if (m && out.includes('Database:')) {
        clearTimeout(timer);
        // the postgres project must not pass on SQLite by mistake
        if (TEST_ON_POSTGRES && !/Database:\s+PostgreSQL/.test(out)) return reject(new Error(`kaca start is not on PostgreSQL:\n${out}`));
        resolve({ child, output: () => out, baseUrl: m[1] });
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kaca start exited with ${code}:\n${out}`));
    });
  });
}

export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
