import { setPriority } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/kaca.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Node flags `npm start` gives the server (package.json "start"), so that the benchmarks
 * measure the server as it is run, and give the bare echo server the same.
 */
export function serverNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /\bnode((?: --\S+)*) bin\/kaca\.mjs start\b/.exec(start);
  if (!m) throw new Error(`cannot find "node [flags] bin/kaca.mjs start" in the start script: ${start}`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}

/** Starts `kaca start` on loopback as a child process, with npm start's Node flags; resolves with its URL. */
export function startServerProcess(dataDir: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  // every load process is one address sending for thousands of candidates: the per-address and
  // per-connection limits would measure themselves, not the server
  const unlimited = { KACA_CANDIDATE_LOGINS_PER_MINUTE: '1000000', KACA_CANDIDATE_LOGINS_PER_MINUTE_TOTAL: '1000000', KACA_STAFF_LOGINS_PER_MINUTE: '1000', KACA_ANSWERS_PER_SECOND: '100000' };
  // KACA_BENCH_SERVER_FLAGS: more Node flags for the server alone (--trace-gc, say), with its output
  // appended to KACA_BENCH_SERVER_LOG
  const extra = (process.env.KACA_BENCH_SERVER_FLAGS ?? '').split(/\s+/).filter(Boolean);
  return startProcess([...serverNodeFlags(), ...extra, ...nodeArgs, BIN, 'start'], { DATA_DIR: dataDir, ...unlimited, ...env }, process.env.KACA_BENCH_SERVER_LOG);
}

/** The bare socket.io echo server (echo-server.ts) as a child process, with the server's Node flags. */
export function startEchoProcess(nodeArgs: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  return startProcess([...serverNodeFlags(), ...nodeArgs, '--import', 'tsx', fileURLToPath(new URL('./echo-server.ts', import.meta.url))], {});
}

function startProcess(args: string[], env: Record<string, string>, logFile?: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', KACA_SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let outText = '';
  child.stdout!.on('data', (d) => (outText += d));
  child.stderr!.on('data', (d) => (outText += d));
  if (logFile) {
    child.stdout!.on('data', (d) => appendFileSync(logFile, d));
    child.stderr!.on('data', (d) => appendFileSync(logFile, d));
  }
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start:\n${outText}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = /Exam \(candidates\):\s+(http:\/\/\S+?)\/\s/.exec(outText);
      if (m) {
        clearTimeout(t);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`server exited (${code}):\n${outText}`));
    });
  });
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** A load process driven by JSON-line commands (see worker.ts). */
/** nice value of the load processes (KACA_BENCH_LOAD_NICE, 10 by default; 0 = the server's own) */
const LOAD_NICE = Number(process.env.KACA_BENCH_LOAD_NICE ?? 10);

export class LoadWorker {
  readonly child: ChildProcess;
  private waiting: ((line: Record<string, unknown>) => void)[] = [];
  private ready: Promise<void>;

  constructor(nice = LOAD_NICE) {
    const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));
    this.child = spawn(process.execPath, ['--import', 'tsx', worker], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    // The load processes share the machine's two cores with the server under test; at a lower
    // priority they take what it leaves, as clients on machines of their own would. The same for
    // Kaca and for the bare echo.
    setPriority(this.child.pid!, nice);
    let buf = '';
    let hello: () => void = () => undefined;
    this.ready = new Promise((r) => (hello = r));
    this.child.stdout!.on('data', (d) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
        buf = buf.slice(i + 1);
        if (line.type === 'hello') hello();
        else this.waiting.shift()?.(line);
      }
    });
  }

  async send<T = Record<string, unknown>>(cmd: Record<string, unknown>): Promise<T> {
    await this.ready;
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => (line.type === 'error' ? reject(new Error(String(line.message))) : resolve(line as T)));
      this.child.stdin!.write(JSON.stringify(cmd) + '\n');
    });
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin!.write(JSON.stringify({ cmd: 'exit' }) + '\n');
    });
  }
}
