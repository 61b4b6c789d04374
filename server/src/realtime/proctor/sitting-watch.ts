import { WatchSchema } from '../../contract/proctor.js';
import { rooms } from '../broadcaster.js';
import type { ProctorCtx } from '../context.js';
import { parse } from '../../domain/payload.js';

/** Joins the sitting's room and returns the whole room view; pushes carry changes after that. */
export const sittingWatch = ({ engine, account, socket }: ProctorCtx) => (payload: unknown) => {
  const { sittingId } = parse(WatchSchema, payload, 'watch request');
  engine.assertCanProctor(account, sittingId);
  for (const r of socket.rooms) if (r.startsWith('p:')) socket.leave(r);
  socket.join(rooms.proctor(sittingId));
  return engine.proctorSnapshot(sittingId);
};
