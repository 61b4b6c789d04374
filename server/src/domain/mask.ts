/**
 * Scoreboard name masking. "first-word": "Budi Santoso Wibowo" -> "BUDI S*** W***"; "initials":
 * "B*** S*** W***"; "none": the name in capitals. A hidden word keeps its initial and no more:
 * not its length either, which with the initial narrows a hall's names down.
 */
export type NameMask = 'none' | 'first-word' | 'initials';

export function maskName(name: string, mode: NameMask): string {
  const words = name.trim().toUpperCase().split(/\s+/).filter(Boolean);
  if (mode === 'none') return words.join(' ');
  const hide = (w: string) => `${[...w][0]}***`;
  return words.map((w, i) => (i === 0 && mode === 'first-word' ? w : hide(w))).join(' ');
}
