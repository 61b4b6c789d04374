import type { Db } from '../client.js';
import { accountRepository } from './accounts.js';
import { answerRepository } from './answers.js';
import { attemptRepository } from './attempts.js';
import { auditRepository } from './audit.js';
import { bankRepository } from './banks.js';
import { candidateRepository } from './candidates.js';
import { logRepository } from './log.js';
import { paperRepository } from './papers.js';
import { resultRepository } from './results.js';
import { sittingRepository } from './sittings.js';
import { templateRepository } from './templates.js';
import { staffSessionRepository } from './staff-sessions.js';

export function createRepositories(db: Db) {
  return {
    db,
    banks: bankRepository(db),
    templates: templateRepository(db),
    sittings: sittingRepository(db),
    candidates: candidateRepository(db),
    papers: paperRepository(db),
    attempts: attemptRepository(db),
    answers: answerRepository(db),
    results: resultRepository(db),
    accounts: accountRepository(db),
    audit: auditRepository(db),
    staffSessions: staffSessionRepository(db),
    log: logRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
/** What the server reads through, on either dialect: the repositories without SQLite's own handle. */
export type ReadRepositories = Omit<Repositories, 'db'>;
