import { loadConfig, type Config } from '../server/src/config.js';
import { KacaError } from '../server/src/domain/errors.js';
import { DatabaseUnavailable } from '../server/src/services/store.js';
import { adminCommand } from './cli/admin.js';
import { itemAnalysisCommand, similarityCommand } from './cli/analysis.js';
import { paperCommand, resultsCommand } from './cli/audit.js';
import { importBankCommand } from './cli/bank.js';
import { out, UsageError } from './cli/errors.js';
import { startCommand } from './cli/start.js';
import { exportCommand, verifyCommand } from './cli/verify.js';

const USAGE = `Usage: npx kaca <command> [options]

Commands:
  start [--production]                    serve Kaca on HOST:PORT (database at DATA_DIR/kaca.db, or at DATABASE_URL);
                                          production: no demo, no credentials printed
  admin add <username> [--role admin|proctor] [--name <display name>]
                                          create an account; its password is printed once
  import-bank <file|folder> [--template <id>] [--format kaca|csv|qti|mmlu|auto]
        [--id <id>] [--title <title>] [--section <id>] [--report <file.json>]
                                          import a bank (all or nothing; every problem listed)
  paper --sitting <id> --candidate <reg>  print a candidate's dealt paper with keys (audit, read-only)
        [--format text|json]
  results --sitting <id> [--format csv|json] [--out <file>]
                                          results ranked per formation
  export <sitting> [--out <file>] [--bank-out <file>]
                                          the public export of a closed sitting (seed, log,
                                          checkpoints, receipts); --bank-out: its bank, for an auditor
  verify <export.json> [--bank <file>] [--json]
                                          check an export offline; with the bank, every paper and
                                          delta too (exit 0 verified, 1 not)
  item-analysis --bank <id> | --sitting <id> [--format csv|json] [--out <file>]
                                          item statistics (facility, item-rest r, 27% groups,
                                          times, KR-20/alpha, flags) over the bank's closed
                                          sittings, or one sitting; CSV by default, a summary
                                          on stderr (read-only)
  similarity --sitting <id> | --bank <id> [--alpha 0.001] [--correction none|bonferroni]
        [--format csv|json] [--out <file>]
                                          answer-similarity flags of a closed sitting (or of every
                                          closed sitting of a bank, room by room), for the
                                          integrity team (never public)
  help                                    this text

Environment: HOST (0.0.0.0), PORT (8080), DATA_DIR (./data), DATABASE_URL (postgres://..., unset: SQLite),
LOG_LEVEL (info), NODE_ENV=production; see README.md.`;

const COMMANDS: Record<string, (config: Config, args: string[]) => Promise<number>> = {
  start: (config, args) => {
    if (args.some((a) => a !== '--production')) throw new UsageError(`start takes only --production`);
    return startCommand(args.includes('--production') ? Object.freeze({ ...config, production: true }) : config);
  },
  admin: adminCommand,
  'import-bank': importBankCommand,
  paper: paperCommand,
  results: resultsCommand,
  export: exportCommand,
  verify: verifyCommand,
  'item-analysis': itemAnalysisCommand,
  similarity: similarityCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command: ${command}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(USAGE);
    return 0;
  }
  return run(loadConfig(), rest);
}

const isParseArgs = (err: unknown) => err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || isParseArgs(err)) process.stderr.write(`kaca: ${(err as Error).message}\n\n${USAGE}\n`);
    else if (err instanceof KacaError || err instanceof DatabaseUnavailable) process.stderr.write(`kaca: ${err.message}\n`);
    else if (err instanceof Error && (err.message.startsWith('invalid configuration') || (err as NodeJS.ErrnoException).code === 'EADDRINUSE')) process.stderr.write(`kaca: ${err.message}\n`);
    else process.stderr.write(`kaca: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = err instanceof UsageError || isParseArgs(err) ? 2 : 1;
  },
);
