export function clock(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

/** "12 s", "3 min" ago, against the server's clock. */
export function ago(at: number | null, now: number): string {
  if (at === null) return '–';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} dtk`;
  if (s < 3600) return `${Math.floor(s / 60)} mnt`;
  return `${Math.floor(s / 3600)} jam`;
}

/**
 * The server's clock as seen from here: offset measured when a message with serverTime
 * arrived, so countdowns do not depend on the PC's clock being right.
 */
export class ServerClock {
  private offset = 0;
  sync(serverTime: number): void {
    this.offset = serverTime - Date.now();
  }
  now(): number {
    return Date.now() + this.offset;
  }
}

// Times as the site reads them (the sitting's WIB, WITA or WIT), for the console and the berita acara.
export { siteDate, siteDateTime, siteTime, zoneAbbr } from '../../../server/src/contract/site-time';

/** The key id people compare of a C2SP verifier key ("name+keyid+base64"): its 8 hex digits. */
export function verifierKeyId(vkey: string): string {
  return vkey.split('+')[1] ?? '';
}
