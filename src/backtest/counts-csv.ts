import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { WindowCounts } from '../detection/types.js';

/** The counts CSV header, exactly (product.md). */
export const COUNTS_CSV_HEADER =
  'minute,source,environment,approved,denied,reversed,failed,processing,backend_reversed,refunded';

/** One CSV row: one minute of one source+environment. */
export interface CsvMinute {
  /** Epoch ms. */
  readonly minute: number;
  readonly source: string;
  readonly environment: string;
  readonly counts: WindowCounts;
}

/** A line of the CSV that cannot be read; `line` is 1-based. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

/**
 * Streams a counts CSV, one row at a time, in constant memory. Checks the header, that every count is a
 * non-negative integer, and that minutes never go backwards (the file must be sorted by minute).
 */
export async function* readCountsCsv(path: string): AsyncGenerator<CsvMinute> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let lineNumber = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for await (const line of lines) {
    lineNumber++;
    if (lineNumber === 1) {
      if (line.trim().replace(/^\uFEFF/, '') !== COUNTS_CSV_HEADER) {
        throw new CsvError(1, `the header must be exactly ${COUNTS_CSV_HEADER}`);
      }
      continue;
    }
    if (line.length === 0) continue;
    const row = parseRow(line, lineNumber);
    if (row.minute < previous)
      throw new CsvError(lineNumber, 'minutes go backwards: the file must be sorted by minute');
    previous = row.minute;
    yield row;
  }
}

function parseRow(line: string, lineNumber: number): CsvMinute {
  const cells = line.split(',');
  if (cells.length !== 10) throw new CsvError(lineNumber, `expected 10 columns, found ${cells.length}`);
  const minute = Date.parse(cells[0] as string);
  if (Number.isNaN(minute) || minute % 60_000 !== 0) {
    throw new CsvError(lineNumber, `minute "${cells[0]}" is not an ISO-8601 UTC minute`);
  }
  const numbers = new Array<number>(7);
  for (let i = 0; i < 7; i++) {
    const cell = cells[i + 3] as string;
    const value = cell === '' ? 0 : Number(cell);
    if (!Number.isInteger(value) || value < 0)
      throw new CsvError(lineNumber, `count "${cell}" is not a non-negative integer`);
    numbers[i] = value;
  }
  const [approved, denied, reversed, failed, processing, backendReversed, refunded] = numbers as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const total = approved + denied + reversed + failed + processing + backendReversed + refunded;
  return {
    minute,
    source: cells[1] as string,
    environment: cells[2] as string,
    counts: { minutes: 1, total, failed, denied, reversed },
  };
}
