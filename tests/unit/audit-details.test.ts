import { describe, expect, it, vi } from 'vitest';
import { actionText, auditActions, auditDetails, entryAction } from '../../proctor-console/src/admin/audit-details.js';
import { setLang } from '../../proctor-console/src/admin/i18n.js';
import { ACTION_CODES, actionLabel } from '../../proctor-console/src/proctor/labels.js';

const time = (ms: number) => `@${ms}`;
const said = (action: string, details: unknown) => auditDetails({ action, details }, time).map((d) => `${d.label}: ${d.text}`);

describe('audit details in the admin console', () => {
  it('says each detail the server writes in words, with instants at the site and statuses named', () => {
    // the shapes the server writes (domain/alert-log.ts, sitting-lifecycle.ts, proctor-actions.ts, services/admin.ts, banks.ts)
    expect(said('alert', { kind: 'focus-lost', count: 3, total: 5, first: 1000, last: 2000 })).toEqual(['Kali (catatan ini): 3', 'Kali (seluruhnya): 5', 'Pertama: @1000', 'Terakhir: @2000']);
    expect(entryAction({ action: 'alert', details: { kind: 'focus-lost', count: 1 } })).toBe('Peringatan: meninggalkan jendela ujian');
    expect(said('sitting-open', { from: 'scheduled', to: 'open' })).toEqual(['Dari: Terjadwal', 'Menjadi: Dibuka']);
    expect(said('extend', { minutes: 10 })).toEqual(['Menit: 10']);
    // a counter inside the server says nothing to an admin
    expect(said('reset-login', { generation: 2 })).toEqual([]);
    expect(said('login-locked', { failedLogins: 5 })).toEqual(['PIN salah: 5']);
    expect(said('admit-many', { candidates: 2, ids: [7, 8], registrationNumbers: ['25110001', '25110002'] })).toEqual(['Peserta: 2', 'Nomor peserta: 25110001, 25110002']);
    expect(said('account-update', { username: 'budi', password: true, disabled: undefined, displayName: undefined, assignSittings: ['s1'], unassignSittings: [] })).toEqual(['Akun: budi', 'Kata sandi diganti: ya', 'Ditugaskan ke: s1']);
    // an account disabled, nothing else: only that is said
    expect(said('account-update', { username: 'sari', password: false, disabled: true, assignSittings: [], unassignSittings: [] })).toEqual(['Akun: sari', 'Dinonaktifkan: ya']);
    expect(said('account-create', { username: 'sari', role: 'proctor', sittings: ['s1', 's2'] })).toEqual(['Akun: sari', 'Peran: pengawas', 'Sesi: s1, s2']);
    expect(said('account-create', { username: 'dani', role: 'admin', sittings: [] })).toEqual(['Akun: dani', 'Peran: admin']);
    expect(said('bank-import', { id: 'b1', title: 'Bank', language: 'id', questions: 110, sections: { TWK: 30, TIU: 35, TKP: 45 }, template: null, format: 'csv', source: 'bank.csv', warnings: 0 })).toEqual([
      'ID: b1',
      'Judul: Bank',
      'Bahasa: id',
      'Soal: 110',
      'Subtes: TWK 30, TIU 35, TKP 45',
      'Format: csv',
      'Sumber: bank.csv',
      'Peringatan: 0',
    ]);
    expect(said('questions-retire', { bankId: 'b1', questions: '250 questions', changed: 250 })).toEqual(['Bank soal: b1', 'Soal: 250 soal', 'Diubah: 250']);
    expect(said('candidates-import', { count: 40 })).toEqual(['Jumlah: 40']);
    expect(said('incident', null)).toEqual([]);
  });

  it('cuts a long list short and keeps an unknown detail under its own name', () => {
    const numbers = Array.from({ length: 40 }, (_, i) => String(25110000 + i));
    expect(said('admit-many', { registrationNumbers: numbers })).toEqual([`Nomor peserta: ${numbers.slice(0, 12).join(', ')} dan 28 lagi`]);
    expect(said('something-new', { shard: 3, nested: { a: 'x' } })).toEqual(['shard: 3', 'nested: {"a":"x"}']);
  });

  it('filters by every action in words, each told apart, not by codes the admin would have to know', () => {
    const list = auditActions();
    expect(list.map((a) => a.code)).toEqual(expect.arrayContaining(['alert', 'admit', 'sitting-open', 'bank-import', 'questions-restore']));
    for (const a of list) expect(a.label.startsWith(actionLabel(a.code)), a.code).toBe(true);
    for (const a of list) expect(a.label, a.code).not.toBe(a.code);
    expect(new Set(list.map((a) => a.label)).size).toBe(list.length);
  });

  it('says every action, alert kind and detail in English when the console is in English', () => {
    // the console keeps the choice in the browser: a stand-in here
    vi.stubGlobal('localStorage', { setItem: () => undefined, getItem: () => null });
    vi.stubGlobal('document', { documentElement: {} });
    setLang('en');
    try {
      // every action the server writes (the Indonesian words are checked against the server's source in audit-labels.test.ts)
      for (const code of ACTION_CODES) {
        expect(actionText(code), code).not.toBe(code);
        expect(actionText(code), code).not.toBe(actionLabel(code));
      }
      const list = auditActions();
      expect(new Set(list.map((a) => a.label)).size).toBe(list.length);
      expect(entryAction({ action: 'alert', details: { kind: 'fullscreen-exited' } })).toBe('Alert: left full screen');
      expect(said('sitting-open', { from: 'scheduled', to: 'open' })).toEqual(['From: Scheduled', 'To: Open']);
      expect(said('alert', { kind: 'focus-lost', count: 1, total: 1, first: 5, last: 5 })).toEqual(['Times (this entry): 1', 'Times (in all): 1', 'First: @5', 'Last: @5']);
    } finally {
      setLang('id');
      vi.unstubAllGlobals();
    }
  });
});
