import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTS_CSV_HEADER, CsvError, type CsvMinute, readCountsCsv } from '../../src/backtest/counts-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'ratewatch-csv-'));
let files = 0;
function csv(...lines: string[]): string {
  const path = join(dir, `counts-${files++}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
async function readAll(path: string): Promise<CsvMinute[]> {
  const rows: CsvMinute[] = [];
  for await (const row of readCountsCsv(path)) rows.push(row);
  return rows;
}
async function errorOf(path: string): Promise<CsvError> {
  try {
    await readAll(path);
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error('expected a CsvError');
}

describe('readCountsCsv', () => {
  describe('when the file is well formed', () => {
    it('reads each row with its total and the watched statuses', async () => {
      const rows = await readAll(
        csv(
          COUNTS_CSV_HEADER,
          '2026-01-05T13:07:00Z,card-eu,production,100,8,1,3,2,0,1',
          '2026-01-05T13:07:00Z,card-eu,staging,,,,,,,',
          '2026-01-05T13:08:00Z,card-eu,production,90,5,0,2,0,0,0',
        ),
      );
      expect(rows[0]).toEqual({
        minute: Date.parse('2026-01-05T13:07:00Z'),
        source: 'card-eu',
        environment: 'production',
        counts: { minutes: 1, total: 115, failed: 3, denied: 8, reversed: 1 },
      });
      expect(rows[1]?.counts).toEqual({ minutes: 1, total: 0, failed: 0, denied: 0, reversed: 0 });
      expect(rows).toHaveLength(3);
    });

    it('accepts a byte-order mark and CRLF line ends', async () => {
      const path = join(dir, 'bom.csv');
      writeFileSync(
        path,
        `\uFEFF${COUNTS_CSV_HEADER}\r\n2026-01-05T13:07:00Z,a,production,1,0,0,0,0,0,0\r\n`,
      );
      expect(await readAll(path)).toHaveLength(1);
    });
  });

  describe('when the file is not one ratewatch can read', () => {
    it.each([
      {
        case: 'a header that is not exactly the contract’s',
        lines: [
          'minute,source,environment,approved,denied,failed,reversed,processing,backend_reversed,refunded',
        ],
        line: 1,
        message: 'the header must be exactly',
      },
      {
        case: 'minutes going backwards',
        lines: [
          COUNTS_CSV_HEADER,
          '2026-01-05T13:08:00Z,a,production,1,0,0,0,0,0,0',
          '2026-01-05T13:07:00Z,a,production,1,0,0,0,0,0,0',
        ],
        line: 3,
        message: 'minutes go backwards',
      },
      {
        case: 'a missing column',
        lines: [COUNTS_CSV_HEADER, '2026-01-05T13:07:00Z,a,production,1,0,0,0,0,0'],
        line: 2,
        message: 'expected 10 columns, found 9',
      },
      {
        case: 'a time that is not a whole UTC minute',
        lines: [COUNTS_CSV_HEADER, '2026-01-05T13:07:30Z,a,production,1,0,0,0,0,0,0'],
        line: 2,
        message: 'is not an ISO-8601 UTC minute',
      },
      {
        case: 'a negative or fractional count',
        lines: [
          COUNTS_CSV_HEADER,
          '2026-01-05T13:07:00Z,a,production,1,0,0,0,0,0,0',
          '2026-01-05T13:08:00Z,a,production,1,-2,0,0,0,0,0',
        ],
        line: 3,
        message: 'count "-2" is not a non-negative integer',
      },
    ])('reports $case with its line number', async ({ lines, line, message }) => {
      const error = await errorOf(csv(...lines));
      expect(error.line).toBe(line);
      expect(error.message).toContain(`line ${line}: `);
      expect(error.message).toContain(message);
    });
  });
});
