import { describe, expect, it } from 'vitest';
import { decideStart } from '../../server/src/domain/attempt.js';
import { decideLogin } from '../../server/src/domain/login.js';
import { decideProctorAction } from '../../server/src/domain/proctor-actions.js';
import { decideSittingExtend, decideSittingPause, decideSittingStatus } from '../../server/src/domain/sitting-lifecycle.js';
import type { Examinee } from '../../server/src/domain/examinee.js';
import { AckError } from '../../server/src/contract/errors.js';
import { errorText } from '../../proctor-console/src/proctor/labels.js';
import { coreFixture, T0 } from '../helpers/core.js';

const f = coreFixture();
const actor = { id: 7, name: 'Pengawas', role: 'proctor' };
const ctx = { now: T0, catalog: f.catalog, receiptId: () => 'r', maxEventsPerItem: 20 };
const refusal = (fn: () => unknown): AckError => {
  try {
    fn();
  } catch (e) {
    const k = e as { code: AckError['code']; message: string };
    return new AckError(k.code, k.message);
  }
  throw new Error('not refused');
};

describe('the proctor console says the server’s refusals in Indonesian', () => {
  it('every refusal of a proctor action, as the core words it today', () => {
    const absent = f.candidate(1);
    const admitted: Examinee = decideLogin(f.candidate(2), { pinOk: true, token: 'not-required', lockAfter: 3 }, f.ctx(T0)).examinee;
    const running = decideStart(admitted, f.ctx(T0)).examinee;
    const refusals = [
      refusal(() => decideProctorAction(absent, { type: 'admit', actor, reason: 'KTP sesuai' }, f.ctx(T0))),
      refusal(() => decideProctorAction(admitted, { type: 'admit', actor, reason: 'KTP sesuai' }, f.ctx(T0))),
      refusal(() => decideProctorAction(running, { type: 'resume', actor, reason: 'lanjut' }, f.ctx(T0))),
      refusal(() => decideProctorAction(absent, { type: 'terminate', actor, reason: 'curang' }, f.ctx(T0))),
      refusal(() => decideSittingStatus({ ...f.sitting, status: 'closed' }, 'open', actor, 'buka lagi', [], ctx)),
      refusal(() => decideSittingPause({ ...f.sitting, status: 'open' }, false, actor, 'jeda', [], ctx, false)),
      refusal(() => decideSittingPause(f.sitting, true, actor, 'lanjut', [running], ctx, false)),
      refusal(() => decideSittingPause(f.sitting, false, actor, 'jeda', [], ctx, true)),
      refusal(() => decideSittingExtend({ ...f.sitting, status: 'open' }, 5, actor, 'tambah', [], ctx)),
    ];
    const said = refusals.map((e) => errorText(e));
    expect(said).toEqual([
      'Peserta belum login.',
      'Peserta sudah diizinkan.',
      'Peserta tidak sedang dijeda.',
      'Ujian peserta ini tidak dapat dihentikan (belum mulai, atau sudah berakhir).',
      'Sesi yang ditutup tidak dapat menjadi dibuka.',
      'Jeda dan lanjutkan hanya dapat dilakukan saat sesi berjalan.',
      'Tidak ada yang dijeda oleh sesi. Peserta yang dijeda sendiri dilanjutkan dari barisnya.',
      'Sesi sudah dijeda.',
      'Waktu hanya dapat ditambah saat sesi berjalan.',
    ]);
  });

  it('a message it does not know keeps the server’s words after the code’s sentence', () => {
    expect(errorText(new AckError('INVALID_STATE', 'something new'))).toBe('Tidak dapat dilakukan pada keadaan sekarang. (something new)');
    expect(errorText(new AckError('RATE_LIMITED', 'too many requests: try again in 3 s'))).toBe('Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.');
    expect(errorText(new AckError('NETWORK', 'no reply from the server'))).toBe('Server tidak menjawab. Periksa jaringan, lalu coba lagi.');
    expect(errorText(new Error('plain'))).toBe('plain');
    expect(errorText(new AckError('BAD_REQUEST', 'invalid pause request: reason: give a reason (at least 3 characters)'))).toBe('Tulis alasan (minimal 3 karakter).');
  });
});
