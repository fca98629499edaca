import { describe, expect, it } from 'vitest';
import { rowReader } from '../../src/store/row-reader.js';

interface Row {
  name: string;
  lastModifiedMs: number;
  endMs: number | undefined;
  headers: Record<string, string>;
  restore: { readyMs: number } | undefined;
}

const read = rowReader<Row>({ name: 'value', lastModifiedMs: 'value', endMs: 'nullable', headers: 'json', restore: 'nullable-json' });

describe('rowReader', () => {
  it('reads each field from its snake_case column, decoding NULL and JSON as declared, and nothing else', () => {
    const row = read({ name: 'a', last_modified_ms: 5, end_ms: null, headers: '{"x-oss-meta-a":"1"}', restore: null, extra: 'no' });
    expect(row).toStrictEqual({ name: 'a', lastModifiedMs: 5, endMs: undefined, headers: { 'x-oss-meta-a': '1' }, restore: undefined });
    expect(Object.keys(row)).toEqual(['name', 'lastModifiedMs', 'endMs', 'headers', 'restore']);
    expect(read({ name: 'b', last_modified_ms: 6, end_ms: 7, headers: '{}', restore: '{"readyMs":9}' })).toMatchObject({
      endMs: 7,
      restore: { readyMs: 9 },
    });
    expect(read({ name: 'c', last_modified_ms: 0, end_ms: 0, headers: '{}', restore: '' }).restore).toBeUndefined();
  });

  it('refuses a field name that is not an identifier (the reader is compiled from the names)', () => {
    expect(() => rowReader<Record<string, unknown>>({ 'a"]; throw 1; //': 'value' } as never)).toThrow(/not a row field name/);
  });
});
