/** A seat's place in the room's grid, 1-based: row 1 is the front row, column 1 the left. */
export interface SeatPlace {
  row: number;
  col: number;
}

const READING_ORDER = /^(?:PC|KOMPUTER|KURSI|NO)?[\s.#-]*(\d{1,4})$/i;
const LETTER_ROW = /^([A-Z]{1,2})[\s.-]*(\d{1,3})$/i;
const NUMBER_ROW = /^(\d{1,3})[\s.:/-]+(\d{1,3})$/;

function letterNumber(s: string): number {
  let n = 0;
  for (const ch of s.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * Where a roster's seat or PC number sits in the room (a rule of the proctor's seat map): "C-12"
 * or "C12" is row C (the third), column 12; "3-12" is row 3, column 12; a plain number ("12",
 * "PC-12") counts the grid's seats in reading order, row by row, so it needs the column count.
 * Null when the seat cannot be placed: missing, unreadable, or outside the room's grid; those
 * candidates are shown after the grid, in order.
 */
export function seatPlace(seat: string | null, grid: { rows: number | null; cols: number | null }): SeatPlace | null {
  const s = seat?.trim();
  if (!s) return null;
  let place: SeatPlace | null = null;
  const reading = READING_ORDER.exec(s);
  const letter = LETTER_ROW.exec(s);
  const numbered = NUMBER_ROW.exec(s);
  if (reading) {
    const n = Number(reading[1]);
    if (grid.cols && n >= 1) place = { row: Math.floor((n - 1) / grid.cols) + 1, col: ((n - 1) % grid.cols) + 1 };
  } else if (letter) place = { row: letterNumber(letter[1]), col: Number(letter[2]) };
  else if (numbered) place = { row: Number(numbered[1]), col: Number(numbered[2]) };
  if (!place || place.row < 1 || place.col < 1) return null;
  if ((grid.rows && place.row > grid.rows) || (grid.cols && place.col > grid.cols)) return null;
  return place;
}
