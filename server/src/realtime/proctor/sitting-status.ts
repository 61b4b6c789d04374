import { SittingActionSchema, SittingStartSchema, type ProctorClientEvents } from '../../contract/proctor.js';
import { parse } from '../../domain/payload.js';
import { actorOf } from '../../engine/staff.js';
import type { EventHandler, ProctorCtx } from '../types.js';

/** open, start (running) and close, each with a reason. */
export const sittingStatus =
  (to: 'open' | 'running' | 'closed') =>
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, 'sitting:open' | 'sitting:start' | 'sitting:close'> =>
  async (payload) => {
    const { sittingId, reason, beaconSignature } = to === 'running' ? parse(SittingStartSchema, payload, 'sitting start') : { ...parse(SittingActionSchema, payload, 'sitting action'), beaconSignature: undefined };
    engine.staff.assertCanProctor(account, sittingId);
    const sitting = await engine.sittings.setStatus(actorOf(account), sittingId, to, reason, beaconSignature ?? null);
    // the alerts counted in the last minute go into the log before anyone prints the berita acara
    if (to === 'closed') await engine.candidates.flushAlerts(sittingId);
    return engine.views.sittingInfo(sitting);
  };
