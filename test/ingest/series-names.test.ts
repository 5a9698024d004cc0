import { describe, expect, it } from 'vitest';
import { isApiName, isEnvironmentName, isSourceName } from '../../src/ingest/series-names.js';

describe('the names that identify a series', () => {
  it.each([
    ['card-eu', true],
    ['a', true],
    ['x'.repeat(64), true],
    ['x'.repeat(65), false],
    ['-card', false],
    ['card eu', false],
    ['card/eu', false],
    ['', false],
  ])('source %j is valid: %s', (name, valid) => {
    expect(isSourceName(name)).toBe(valid);
  });

  it.each([
    ['production', true],
    ['eu.prod_2', true],
    ['x'.repeat(32), true],
    ['x'.repeat(33), false],
    ['_staging', false],
    ['', false],
  ])('environment %j is valid: %s', (name, valid) => {
    expect(isEnvironmentName(name)).toBe(valid);
  });

  it.each([
    ['POST /v1/payments', true],
    ['GET /v1/items/{id}?expand=true', true],
    ['x'.repeat(200), true],
    ['x'.repeat(201), false],
    [' POST /v1/payments', false],
    ['POST /v1/payments ', false],
    ['POST\t/v1', false],
    ['POST /v1/paiements/é', false],
    ['', false],
  ])('api %j is valid: %s', (name, valid) => {
    expect(isApiName(name)).toBe(valid);
  });
});
