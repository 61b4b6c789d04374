import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../server/src/config.js';
import { KacaError } from '../server/src/domain/errors.js';
import { openStore } from '../server/src/services/store.js';
import { importBank } from '../server/src/services/admin.js';
import { auditPaper, formatPaper } from '../server/src/services/papers.js';
import { resultsCsv, sittingResults } from '../server/src/services/results.js';
import { readJsonFile } from '../question-bank/index.js';
import { parseBank } from '../server/src/domain/bank.js';
import { start } from '../server/src/main.js';

const USAGE = `Usage: npx kaca <command> [options]

Commands:
  start                                   serve Kaca on HOST:PORT (database at DATA_DIR/kaca.db)
  import-bank <file> [--template <id>]    import a kaca-bank@1 JSON file (all or nothing)
  paper --sitting <id> --candidate <reg>  print a candidate's dealt paper with keys (audit)
        [--format text|json]
  results --sitting <id> [--format csv|json] [--out <file>]
                                          results ranked per formation
  help                                    this text

Environment: HOST (0.0.0.0), PORT (8080), DATA_DIR (./data), LOG_LEVEL (info); see README.md.`;

class UsageError extends Error {}

function out(text: string) {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start': {
      const started = await start(config);
      const { base, lan } = started.urls;
      const lines = [
        '',
        'Kaca is running.',
        `  Exam (candidates):   ${base}/`,
        `  Proctor console:     ${base}/proctor/`,
        `  Public scoreboard:   ${base}/scoreboard/`,
        `  Admin API docs:      ${base}/docs`,
        ...lan.map((u) => `  On the network:      ${u}/`),
        `  Database:            ${started.databaseFile}`,
      ];
      const demo = started.demo;
      if (demo) {
        lines.push(
          '',
          `Demo sitting "${demo.sittingId}" is open and ready to sit (no token, no admission needed).`,
          `  Admin:    ${demo.admin.username} / ${demo.admin.password}`,
          `  Proctor:  ${demo.proctor.username} / ${demo.proctor.password}`,
          '  Candidates (registration number / PIN):',
          ...demo.candidates.slice(0, 5).map((c) => `    ${c.registrationNumber} / ${c.pin}   ${c.name}`),
          `    ... ${demo.candidates.length} in all, listed in ${config.dataDir}/demo-credentials.json`,
        );
      }
      out(lines.join('\n') + '\n');
      return -1; // keep serving
    }
    case 'import-bank': {
      const { values, positionals } = parseArgs({ args: rest, options: { template: { type: 'string' } }, allowPositionals: true });
      if (positionals.length !== 1) throw new UsageError('import-bank needs exactly one file');
      const store = openStore(config);
      try {
        const template = values.template ? store.repos.templates.get(values.template) : undefined;
        if (values.template && !template) throw new KacaError('NOT_FOUND', `no exam template ${values.template}`);
        const bank = parseBank(readJsonFile(positionals[0]), template);
        const summary = await importBank(store, bank, Date.now());
        out(`imported bank ${summary.id}: ${summary.questions} questions (${Object.entries(summary.sections).map(([s, n]) => `${s} ${n}`).join(', ')})`);
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'paper': {
      const { values } = parseArgs({ args: rest, options: { sitting: { type: 'string' }, candidate: { type: 'string' }, format: { type: 'string', default: 'text' } } });
      if (!values.sitting || !values.candidate) throw new UsageError('paper needs --sitting and --candidate');
      if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
      const store = openStore(config);
      try {
        const paper = auditPaper(store, values.sitting, values.candidate);
        out(values.format === 'json' ? JSON.stringify(paper, null, 2) : formatPaper(paper));
      } finally {
        await store.close();
      }
      return 0;
    }
    case 'results': {
      const { values } = parseArgs({ args: rest, options: { sitting: { type: 'string' }, format: { type: 'string', default: 'csv' }, out: { type: 'string' } } });
      if (!values.sitting) throw new UsageError('results needs --sitting');
      if (values.format !== 'csv' && values.format !== 'json') throw new UsageError('--format must be csv or json');
      const store = openStore(config);
      try {
        const results = sittingResults(store.repos, values.sitting);
        const text = values.format === 'json' ? JSON.stringify(results, null, 2) + '\n' : resultsCsv(results);
        if (values.out) writeFileSync(values.out, text);
        else process.stdout.write(text);
      } finally {
        await store.close();
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`kaca: ${err.message}\n\n${USAGE}\n`);
    else if (err instanceof KacaError) process.stderr.write(`kaca: ${err.message}\n`);
    else if (err instanceof Error && (err.message.startsWith('invalid configuration') || (err as NodeJS.ErrnoException).code === 'EADDRINUSE')) process.stderr.write(`kaca: ${err.message}\n`);
    else if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) process.stderr.write(`kaca: ${err.message}\n\n${USAGE}\n`);
    else process.stderr.write(`kaca: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = err instanceof UsageError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) ? 2 : 1;
  },
);
