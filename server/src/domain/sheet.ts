/**
 * One small number per item of a paper (the shown option, or a flag), as a persistent array:
 * `set` returns a new sheet and leaves the old one as it was, as the core's decisions need
 * (a batch is decided on the state each command leaves; a failed commit keeps the state before).
 *
 * Copying a paper's 110 entries on every click made the event loop spend more time collecting
 * garbage than deciding. Instead, the newest version holds the buffer and an older version holds
 * only what differs from the one after it ("rerooting", as in Baker's persistent arrays): reading
 * or updating the newest version is O(1); touching an older one first moves the buffer back to it.
 */
type Node = { data: Int8Array } | { at: number; value: number; next: Sheet };

export class Sheet {
  private node: Node;

  private constructor(node: Node) {
    this.node = node;
  }

  static filled(length: number, value: number): Sheet {
    return new Sheet({ data: new Int8Array(length).fill(value) });
  }

  static of(values: readonly number[]): Sheet {
    return new Sheet({ data: Int8Array.from(values) });
  }

  /** Moves the buffer to this version: each newer version on the way keeps what differs. */
  private own(): Int8Array {
    const n = this.node;
    if ('data' in n) return n.data;
    const data = n.next.own();
    const newer = n.next;
    newer.node = { at: n.at, value: data[n.at], next: this };
    data[n.at] = n.value;
    this.node = { data };
    return data;
  }

  get length(): number {
    return this.own().length;
  }

  get(i: number): number {
    return this.own()[i];
  }

  /** A new version with item i set; this one still reads as before. */
  set(i: number, value: number): Sheet {
    const data = this.own();
    if (data[i] === value) return this;
    const next = new Sheet({ data });
    this.node = { at: i, value: data[i], next };
    data[i] = value;
    return next;
  }

  toArray(): number[] {
    return Array.from(this.own());
  }

  /** Each item's value through f, as a plain array. */
  map<T>(f: (value: number) => T): T[] {
    const data = this.own();
    const out = new Array<T>(data.length);
    for (let i = 0; i < data.length; i++) out[i] = f(data[i]);
    return out;
  }

  /** How many items hold a value other than `blank`. */
  count(blank: number): number {
    let n = 0;
    for (const v of this.own()) if (v !== blank) n++;
    return n;
  }
}
