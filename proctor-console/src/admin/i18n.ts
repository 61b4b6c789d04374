/** The admin console's words, in Bahasa Indonesia (the default) and English. */
export type Lang = 'id' | 'en';

import { id } from './words-id';
import { en } from './words-en';

export type Key = keyof typeof id;

const DICTS: Record<Lang, Record<Key, string>> = { id, en };
const STORE = 'kaca.admin.lang';
let lang: Lang = (typeof localStorage !== 'undefined' && (localStorage.getItem(STORE) as Lang)) || 'id';

export function currentLang(): Lang {
  return lang;
}

export function setLang(l: Lang): void {
  lang = l;
  localStorage.setItem(STORE, l);
  document.documentElement.lang = l;
}

/** A phrase in the chosen language, with {name} filled from `vars`. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

/** An attempt's status (absent, waiting, admitted, in_progress, paused, finished, terminated) in the admin's words. */
/** As the proctor console says it: "not arrived yet" while candidates may still come, "absent" once the sitting has closed. */
export function attemptStatusText(status: string, sittingStatus: string): string {
  if (status === 'absent' && sittingStatus !== 'closed') return t('attemptNotArrived');
  const keys: Record<string, Key> = { absent: 'attemptAbsent', waiting: 'attemptWaiting', admitted: 'attemptAdmitted', in_progress: 'attemptInProgress', paused: 'attemptPaused', finished: 'attemptFinished', terminated: 'attemptTerminated' };
  return keys[status] ? t(keys[status]) : status;
}
