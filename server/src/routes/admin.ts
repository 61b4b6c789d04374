import type { FastifyPluginAsync } from 'fastify';
import { accountRoutes } from './admin/accounts.js';
import { analysisRoutes } from './admin/analysis.js';
import { bankRoutes } from './admin/banks.js';
import { reportRoutes } from './admin/reports.js';
import { rosterRoutes } from './admin/rosters.js';
import { sittingRoutes } from './admin/sittings.js';
import { templateRoutes } from './admin/templates.js';

/**
 * The admin API (docs/protocol.md, "Admin API"): banks, templates, sittings, rosters, accounts,
 * results, the audit log and the analyses of stored answers. Every route checks its session in onRequest, before a body is read,
 * and answers through the response schemas of contract/http.ts.
 */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  await app.register(bankRoutes);
  await app.register(templateRoutes);
  await app.register(sittingRoutes);
  await app.register(rosterRoutes);
  await app.register(accountRoutes);
  await app.register(reportRoutes);
  await app.register(analysisRoutes);
};
