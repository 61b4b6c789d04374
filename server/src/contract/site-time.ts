/**
 * Times as a test site reads them. Indonesia's three zones have fixed offsets (no daylight
 * saving), so a printed time is plain arithmetic on the sitting's `timezone`, the same on the
 * server, in every browser and in a CSV opened anywhere.
 */
export const SITE_ZONES: Record<string, { abbr: string; offsetHours: number }> = {
  'Asia/Jakarta': { abbr: 'WIB', offsetHours: 7 },
  'Asia/Makassar': { abbr: 'WITA', offsetHours: 8 },
  'Asia/Jayapura': { abbr: 'WIT', offsetHours: 9 },
};

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const pad = (n: number) => String(n).padStart(2, '0');

function zone(tz: string): { abbr: string; offsetHours: number } {
  return SITE_ZONES[tz] ?? SITE_ZONES['Asia/Jakarta'];
}

/** The wall clock at the site, as UTC fields of a shifted date. */
function local(at: number, tz: string): Date {
  return new Date(at + zone(tz).offsetHours * 3_600_000);
}

export function zoneAbbr(tz: string): string {
  return zone(tz).abbr;
}

/** "08.05 WIB", or "08.05.07 WIB" with seconds: Indonesian time notation. */
export function siteTime(at: number, tz: string, seconds = false): string {
  const d = local(at, tz);
  return `${pad(d.getUTCHours())}.${pad(d.getUTCMinutes())}${seconds ? `.${pad(d.getUTCSeconds())}` : ''} ${zone(tz).abbr}`;
}

/** "15 Januari 2027" */
export function siteDate(at: number, tz: string): string {
  const d = local(at, tz);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "15 Januari 2027, 08.05 WIB" */
export function siteDateTime(at: number, tz: string): string {
  return `${siteDate(at, tz)}, ${siteTime(at, tz)}`;
}

/** ISO 8601 with the site's offset, for CSV: "2027-01-15T08:05:07+07:00". */
export function siteIso(at: number, tz: string): string {
  const d = local(at, tz);
  const { offsetHours } = zone(tz);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+${pad(offsetHours)}:00`;
}
