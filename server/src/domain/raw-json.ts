/**
 * JSON text that is already serialized, carried inside a value that is about to be. A paper is
 * built from per-question fragments serialized once (see candidate-view.ts); the socket encoder
 * (realtime/json-parser.ts) splices the text in as it is instead of serializing it again.
 * Anywhere else JSON.stringify sees the parsed value.
 */
export class RawJson<T = unknown> {
  /** only for the type: what the text decodes to */
  declare readonly __type?: T;
  /** Set by an encoder while it serializes: returns the placeholder to splice at. */
  static capture: ((json: string) => string) | null = null;

  constructor(readonly json: string) {}

  toJSON(): unknown {
    return RawJson.capture ? RawJson.capture(this.json) : JSON.parse(this.json);
  }
}
