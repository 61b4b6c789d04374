import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KACA_BIN = fileURLToPath(new URL('../../bin/kaca.mjs', import.meta.url));

/** Runs `kaca <args>` to completion. */
export function kaca(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [KACA_BIN, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `kaca start` and resolves once it prints that it is running. */
export function startKaca(env: Record<string, string>, extraArgs: string[] = []): Promise<{ child: ChildProcess; output: () => string; baseUrl: string }> {
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
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
