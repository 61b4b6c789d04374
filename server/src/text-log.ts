/**
 * The server's log as short lines for a person at a terminal (`npm start` in a shell), instead
 * of a JSON object per line for a log collector: "14:02:07 WARN message key=value". Request
 * lines are left out in this form (errors still show); the JSON form keeps them.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Where the log goes when nothing says: text for a terminal, JSON for anything else. */
export function defaultLogFormat(stdout: { isTTY?: boolean } = process.stdout): 'text' | 'json' {
  return stdout.isTTY ? 'text' : 'json';
}

const value = (v: unknown): string => (typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v));

/** One pino JSON line as text; null for a line the text form leaves out. */
export function textLine(json: string): string | null {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const { level, time, msg, pid, hostname, err, reqId, ...rest } = entry;
  void pid;
  void hostname;
  void reqId;
  // the banner printed after the start names every address
  if (typeof msg === 'string' && msg.startsWith('Server listening at ')) return null;
  const at = typeof time === 'number' ? new Date(time).toTimeString().slice(0, 8) : '--:--:--';
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${value(v)}`);
  let line = `${at} ${LEVELS[level as number] ?? String(level)} ${typeof msg === 'string' ? msg : ''}${fields.length ? ` ${fields.join(' ')}` : ''}\n`;
  const stack = (err as { stack?: unknown } | undefined)?.stack;
  if (typeof stack === 'string') line += stack.replace(/^/gm, '    ') + '\n';
  else if (err !== undefined) line += `    ${value(err)}\n`;
  return line;
}

/** A destination for pino that writes text lines to `out`. */
export function textLogStream(out: { write(s: string): unknown } = process.stdout): { write(json: string): void } {
  return {
    write(json: string) {
      const line = textLine(json);
      if (line !== null) out.write(line);
    },
  };
}
