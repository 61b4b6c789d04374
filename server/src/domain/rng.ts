import seedrandom from 'seedrandom';

export type Rng = () => number;

/**
 * Alea from seedrandom: fast and identical on every platform. Changing the generator changes
 * every paper ever dealt, so the golden-seed test pins its stream.
 */
export function createRng(...seedParts: string[]): Rng {
  return seedrandom.alea(seedParts.join('\u0000'));
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** In-place Fisher-Yates. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}
