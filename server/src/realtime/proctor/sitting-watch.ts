import { WatchSchema, type ProctorClientEvents } from '../../contract/proctor.js';
import { parse } from '../../domain/payload.js';
import { rooms } from '../broadcaster.js';
import type { EventHandler, ProctorCtx } from '../types.js';

/** Joins the sitting's room and returns the whole room view; pushes carry changes after that. */
export const sittingWatch =
  ({ engine, account, socket }: ProctorCtx): EventHandler<ProctorClientEvents, 'sitting:watch'> =>
  (payload) => {
    const { sittingId } = parse(WatchSchema, payload, 'watch request');
    engine.staff.assertCanProctor(account, sittingId);
    for (const r of socket.rooms) if (r.startsWith('p:')) void socket.leave(r);
    void socket.join(rooms.proctor(sittingId));
    return engine.views.proctorSnapshot(sittingId);
  };
