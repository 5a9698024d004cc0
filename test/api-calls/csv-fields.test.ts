import { describe, expect, it } from 'vitest';
import { csvField, splitCsvLine } from '../../src/api-calls/csv-fields.js';

describe('splitCsvLine', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,', ['a', '', '']],
    ['"a,b",c', ['a,b', 'c']],
    ['x,"a ""quoted"" b"', ['x', 'a "quoted" b']],
    ['"",x', ['', 'x']],
    ['x,"y"', ['x', 'y']],
  ])('splits %s', (line, fields) => {
    expect(splitCsvLine(line)).toEqual(fields);
  });

  it.each([['"a,b'], ['"a"b,c'], ['a"b,c']])('refuses the broken quoting of %s', (line) => {
    expect(splitCsvLine(line)).toBeUndefined();
  });
});

describe('csvField', () => {
  it.each([
    ['POST /v1/payments', 'POST /v1/payments'],
    ['GET /v1/reports?fields=id,total', '"GET /v1/reports?fields=id,total"'],
    ['GET /v1/"x"', '"GET /v1/""x"""'],
  ])('writes %s as %s, which reads back the same', (value, field) => {
    expect(csvField(value)).toBe(field);
    expect(splitCsvLine(`a,${csvField(value)},b`)).toEqual(['a', value, 'b']);
  });
});
