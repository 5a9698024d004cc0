import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CallLogFormatError } from '../api-calls/import-call-log.js';
import { createApiSeriesDirectory } from '../ingest/api-series-directory.js';
import { ENVIRONMENT_NAME_RULE, isEnvironmentName, isSourceName, SOURCE_NAME_RULE } from '../ingest/names.js';
import { createSourceDirectory } from '../ingest/source-directory.js';
import { storeCallLog } from '../ingest/store-call-log.js';
import { openStorage, type Storage } from '../storage/open-storage.js';
import type { Source } from '../storage/sources.js';
import { type Command, type CommandContext, parse, UsageError } from './command.js';
import { importReport, importReportJson } from './import-report.js';

export const importLogsCommand: Command = {
  name: 'import-logs',
  usage: 'import-logs <file> --source <name> [--environment <env>] [--json]',
  summary:
    'read an API-call log (CSV timestamp,method,endpoint,status_code,size,response_time, or JSON lines of call records), sum it per minute and API and store it as log posts are; progress on stderr, a summary on stdout (--json: one JSON line); importing the same file again changes nothing',
  async run(context) {
    const { path, source, environment, json } = importArgs(context.args);
    const bytes = await fileSize(path);
    const storage = await openStorage(context.config);
    try {
      const found = await sourceFor(storage, source, context);
      const started = performance.now();
      const result = await storeCallLog(
        {
          directory: createSourceDirectory(storage.sources),
          apiSeries: createApiSeriesDirectory(storage.apiCalls),
          store: storage.apiCalls,
        },
        {
          path,
          source: found,
          environment,
          now: context.now(),
          retentionDays: context.config.retention.minuteDays,
          onProgress: progressWriter(context, bytes),
        },
      );
      const seconds = (performance.now() - started) / 1000;
      endProgress(context);
      const report = { path, source, environment, seconds, ...result };
      context.stdout.write(json ? `${JSON.stringify(importReportJson(report))}\n` : importReport(report));
      return 0;
    } catch (error) {
      endProgress(context);
      if (!(error instanceof CallLogFormatError)) throw error;
      context.stderr.write(`${path} is not a call log: ${error.message}\n`);
      return 1;
    } finally {
      await storage.close();
    }
  },
};

function importArgs(args: readonly string[]) {
  const { values, positionals } = parse(() =>
    parseArgs({
      args: [...args],
      options: {
        source: { type: 'string', short: 's' },
        environment: { type: 'string', short: 'e' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    }),
  );
  const [path, ...extra] = positionals;
  if (!path) throw new UsageError('name the log file');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (!values.source) throw new UsageError('--source is required: the service the calls belong to');
  if (!isSourceName(values.source)) throw new UsageError(`--source ${SOURCE_NAME_RULE}`);
  const environment = values.environment ?? 'production';
  if (!isEnvironmentName(environment)) throw new UsageError(`--environment ${ENVIRONMENT_NAME_RULE}`);
  return { path, source: values.source, environment, json: values.json === true };
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${path} is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/** The source, created when missing — as a post with the shared ingest token would onboard it. */
async function sourceFor(storage: Storage, name: string, context: CommandContext): Promise<Source> {
  const existing = await storage.sources.findByName(name);
  if (existing) return existing;
  await storage.sources.onboardSources([name]);
  const created = await storage.sources.findByName(name);
  if (!created) throw new Error(`source "${name}" is missing after onboarding`);
  context.stderr.write(`source "${name}" did not exist: created it, as a post with INGEST_TOKEN would\n`);
  return created;
}

/** A progress line on stderr: rewritten in place on a terminal, one line per step otherwise. */
function progressWriter(context: CommandContext, totalBytes: number) {
  const tty = (context.stderr as { isTTY?: boolean }).isTTY === true;
  return ({ lines, bytes, calls }: { lines: number; bytes: number; calls: number }) => {
    const percent = totalBytes > 0 ? ` (${Math.min(100, Math.floor((bytes / totalBytes) * 100))} %)` : '';
    const text = `import-logs: ${lines.toLocaleString('en-US')} lines read${percent}, ${calls.toLocaleString('en-US')} calls`;
    context.stderr.write(tty ? `\r${text}` : `${text}\n`);
  };
}

function endProgress(context: CommandContext): void {
  if ((context.stderr as { isTTY?: boolean }).isTTY === true) context.stderr.write('\n');
}
