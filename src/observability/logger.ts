import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever they appear (two levels deep, which covers our log
 * objects). The habit that matters more: never pass payloads, names, addresses or NHS
 * numbers to the logger at all — log message ids, resource references and hashes.
 * This list is the safety net for when someone forgets.
 */
export const REDACT_PATHS = [
  'body', 'payload', 'raw', 'resource', 'record', 'bundle',
  'name', 'given', 'family', 'address', 'postcode', 'nhsNumber', 'birthDate', 'telecom',
  '*.body', '*.payload', '*.raw', '*.resource', '*.record', '*.bundle',
  '*.name', '*.given', '*.family', '*.address', '*.postcode', '*.nhsNumber', '*.birthDate', '*.telecom',
  'req.headers.authorization', 'headers.authorization', '*.authorization', 'token', '*.token', 'clientSecret', '*.clientSecret',
];

/**
 * The root logger. JSON lines on stdout (or `destination`), level from LOG_LEVEL.
 * Create a child per request or job: `logger.child({ queue, jobId, messageId })`.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cradle', pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: errorSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Errors keep their name, message, code and stack — never attached request data. */
function errorSerializer(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = { type: err.name, message: err.message, stack: err.stack };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if ('issues' in err) out.issues = (err as { issues: unknown }).issues;
  if (err.cause) out.cause = errorSerializer(err.cause);
  return out;
}

/** A logger that discards everything, for tests and pure helpers. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
