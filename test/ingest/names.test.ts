import { describe, expect, it } from 'vitest';
import {
  apiNameProblem,
  apiNameSchema,
  environmentNameSchema,
  isApiName,
  isEnvironmentName,
  isSourceName,
  sourceNameSchema,
} from '../../src/ingest/names.js';

const messages = (
  schema: { safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  value: unknown,
) => schema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe('names', () => {
  describe('a source name', () => {
    it.each([
      ['card-eu', true],
      ['a', true],
      ['x'.repeat(64), true],
      ['x'.repeat(65), false],
      ['-card', false],
      ['card eu', false],
      ['', false],
    ])('%s is valid: %s', (name, valid) => {
      expect(isSourceName(name)).toBe(valid);
    });

    it('says what is wrong in the words of counts ingest', () => {
      expect(messages(sourceNameSchema(), 'card eu')).toEqual([
        'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
      ]);
      expect(messages(sourceNameSchema(), undefined)).toEqual([
        'is required: the name of the payment system',
      ]);
      expect(messages(sourceNameSchema('is required: the service'), 3)).toEqual(['is required: the service']);
    });
  });

  describe('an environment name', () => {
    it('holds at most 32 characters, as its column does', () => {
      expect(isEnvironmentName('x'.repeat(32))).toBe(true);
      expect(isEnvironmentName('x'.repeat(33))).toBe(false);
      expect(messages(environmentNameSchema, 'x'.repeat(33))).toEqual([
        'must be 1-32 letters, digits, ".", "_" or "-", starting with a letter or digit',
      ]);
      expect(messages(environmentNameSchema, 7)).toEqual(['must be a string such as "production"']);
    });
  });

  describe('an api name', () => {
    it.each([
      ['POST /v1/payments', undefined],
      ['GET /v1/reports?fields=id,total', undefined],
      ['GET /v1/café/☕', undefined],
      ['x', undefined],
      ['😀'.repeat(200), undefined],
      ['', 'must not be empty'],
      ['x'.repeat(201), 'must be at most 200 characters (it has 201)'],
      ['😀'.repeat(201), 'must be at most 200 characters (it has 201)'],
      ['GET\t/x', 'must hold only printable characters (no control characters, tabs or line breaks)'],
      ['GET /x\n', 'must hold only printable characters (no control characters, tabs or line breaks)'],
      ['GET /x\u2028', 'must hold only printable characters (no control characters, tabs or line breaks)'],
      [' GET /x', 'must not start or end with a space'],
      ['GET /x ', 'must not start or end with a space'],
    ])('%j: %s', (name, problem) => {
      expect(apiNameProblem(name)).toBe(problem);
      expect(isApiName(name)).toBe(problem === undefined);
      expect(messages(apiNameSchema, name)).toEqual(problem === undefined ? [] : [problem]);
    });

    it('is required', () => {
      expect(messages(apiNameSchema, undefined)).toEqual([
        'is required: the API, such as "POST /v1/payments"',
      ]);
    });
  });
});
