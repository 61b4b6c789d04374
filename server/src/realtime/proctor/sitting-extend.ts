import { SittingExtendSchema, type ProctorClientEvents } from '../../contract/proctor.js';
import { parse } from '../../domain/payload.js';
import { actorOf } from '../../engine/staff.js';
import type { EventHandler, ProctorCtx } from '../types.js';

/** Adds the same minutes to every candidate in progress: the hall lost time (a server or network outage). */
export const sittingExtend =
  ({ engine, account }: ProctorCtx): EventHandler<ProctorClientEvents, 'sitting:extend'> =>
  async (payload) => {
    const { sittingId, minutes, reason } = parse(SittingExtendSchema, payload, 'extend request');
    engine.staff.assertCanProctor(account, sittingId);
    return { affected: await engine.sittings.extendAll(actorOf(account), sittingId, minutes, reason) };
  };
