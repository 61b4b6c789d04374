import type { ProctorCtx } from '../context.js';

export const sittingsList = ({ engine, account }: ProctorCtx) => () => engine.sittingsFor(account);
