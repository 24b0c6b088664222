import { CradleError } from '../fhir/outcome.js';
import { UsageError } from './args.js';
import { demo } from './commands/demo.js';
import { identity } from './commands/identity.js';
import { ingest } from './commands/ingest.js';
import { replay } from './commands/replay.js';
import { gateway, start, worker } from './commands/run.js';
import { validate } from './commands/validate.js';
import { VERSION } from './version.js';

const HELP = `Cradle ${VERSION} — joins maternity, GP and social care records into one safeguarding picture

Usage: cradle <command> [options]

  start                          gateway and all workers in one process (embedded store unless DATABASE_URL/REDIS_URL)
  gateway                        HTTP gateway only (needs DATABASE_URL and REDIS_URL)
  worker [--queues map,assess,deliver]
                                 queue workers only (needs DATABASE_URL and REDIS_URL)
  ingest --source S FILE|DIR…    submit files to a running engine (CRADLE_URL, CRADLE_TOKEN)
  replay MESSAGE_ID | --failed | --rejected [--source S] [--since T] [--until T]
                                 run stored messages through the pipeline again, with a progress bar
  validate [--source S] FILE     check a source message or a FHIR resource; prints an OperationOutcome
  identity reviews|decide|merge|unmerge|show
                                 work through possible matches, merge and unmerge people
  demo [--port N] [--exit]       synthetic families from every source on a temporary embedded store; prints the alerts and the dashboard link

Environment: PORT, DATABASE_URL, REDIS_URL, CRADLE_DATA_DIR, CRADLE_CONFIG, CRADLE_ADMIN_TOKEN, LOG_LEVEL, METRICS_PORT (see README.md).
`;

type Command = (argv: string[]) => Promise<number | void>;
const COMMANDS: Record<string, Command> = { start, gateway, worker, ingest, replay, validate, identity, demo };

export async function main(argv: string[]): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n\n${HELP}`);
    return 2;
  }
  try {
    const code = await command(rest);
    return typeof code === 'number' ? code : undefined;
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`cradle ${name}: ${(err as Error).message}\n`);
      return 2;
    }
    if (err instanceof CradleError) {
      process.stderr.write(`cradle ${name}: ${err.issues.map((i) => `${i.code}${i.expression ? ` ${i.expression.join(', ')}` : ''}: ${i.diagnostics ?? ''}`).join('\n  ')}\n`);
      return 1;
    }
    throw err;
  }
}

// Long-running commands (start, gateway, worker) return undefined and keep the process alive.
main(process.argv.slice(2)).then((code) => {
  if (code !== undefined) process.exitCode = code;
}, (err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
