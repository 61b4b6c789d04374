/**
 * Scoreboard name masking. "first-word": "Budi Santoso" -> "BUDI S*****"; "initials":
 * "B*** S*****"; "none": the name in capitals.
 */
export type NameMask = 'none' | 'first-word' | 'initials';

export function maskName(name: string, mode: NameMask): string {
  const words = name.trim().toUpperCase().split(/\s+/).filter(Boolean);
  if (mode === 'none') return words.join(' ');
  const hide = (w: string) => w[0] + '*'.repeat(Math.max(0, [...w].length - 1));
  return words.map((w, i) => (i === 0 && mode === 'first-word' ? w : hide(w))).join(' ');
}
