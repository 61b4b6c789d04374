import { z } from 'zod';

/**
 * What a one-line label (a name, a room, a formation, a section's title) never holds: control
 * characters (line breaks and tabs included), the line and paragraph separators, the
 * bidirectional overrides, isolates and marks, and the invisible ones (zero-width space and
 * joiners, word joiner, byte-order mark). With any of them a name on the board, a list or a
 * printed report could read as another, look the same as another, or break the line it is on.
 */
const LABEL_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** Why a label is refused, or null: the first forbidden character, by its code point. */
export function labelProblem(text: string): string | null {
  const m = LABEL_FORBIDDEN.exec(text);
  return m ? `text may not contain the control character U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** A one-line label of 1 to `max` characters, trimmed. */
export const label = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((v, ctx) => {
      const problem = labelProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
