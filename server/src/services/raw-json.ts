import { randomBytes } from 'node:crypto';

// A marker no content can contain by chance: a NUL-delimited random token per process.
const MARK = `\u0000kaca-raw-${randomBytes(8).toString('hex')}\u0000`;
const QUOTED_MARK = JSON.stringify(MARK);
let captured: string[] | null = null;

/**
 * JSON text that is already serialized, carried inside a value that is about to be. The
 * socket encoder (realtime/json-parser.ts) splices it in as it is, so a large payload built
 * from cached fragments (a candidate's paper) is not serialized a second time. Anywhere else
 * JSON.stringify still sees the parsed value.
 */
export class RawJson<T = unknown> {
  /** only for the type: what the text decodes to */
  declare readonly __type?: T;
  constructor(readonly json: string) {}

  toJSON(): unknown {
    if (captured) {
      captured.push(this.json);
      return MARK;
    }
    return JSON.parse(this.json);
  }

  /** JSON.stringify that splices every RawJson's text in place. */
  static stringify(value: unknown): string {
    const outer = captured;
    const fragments: string[] = (captured = []);
    try {
      const text = JSON.stringify(value);
      if (fragments.length === 0) return text;
      const parts = text.split(QUOTED_MARK);
      let out = parts[0];
      for (let i = 1; i < parts.length; i++) out += fragments[i - 1] + parts[i];
      return out;
    } finally {
      captured = outer;
    }
  }
}
