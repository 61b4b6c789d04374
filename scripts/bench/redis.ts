import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createClient } from 'redis';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A Redis of its own on loopback (Debian's redis-server, nothing kept on disk), for the
 * several-nodes test and benchmark: the machine's Redis is shared, and this one may be killed and
 * started again on the same port. Resolves once it answers PING.
 */
export async function startRedisServer(port?: number): Promise<{ port: number; url: string; child: ChildProcess }> {
  const p = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${p}`;
  for (let i = 0; ; i++) {
    const probe = createClient({ url, socket: { reconnectStrategy: false } });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') {
        await probe.quit();
        return { port: p, url, child };
      }
    } catch {
      // not up yet
    }
    if (i >= 100 || child.exitCode !== null) throw new Error(`redis-server did not start on port ${p}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
