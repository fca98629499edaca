import { describe, expect, it } from 'vitest';
import { RequestLog, type AnsweredRequest } from '../../../src/http/admin/request-log.js';

const answered = (id: string): AnsweredRequest => ({
  id,
  method: 'GET',
  url: `/b/${id}`,
  operation: 'GetObject',
  bucket: 'b',
  key: id,
  code: undefined,
  message: undefined,
  ec: undefined,
  injected: false,
  startMs: performance.now(),
});

describe('RequestLog', () => {
  it('keeps the last `capacity` records, oldest first, however many came before', () => {
    const log = new RequestLog(5);
    for (let i = 0; i < 3; i++) log.record(answered(`r${i}`), 200, i);
    expect(log.recent().map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
    for (let i = 3; i < 13; i++) log.record(answered(`r${i}`), 200, i);
    expect(log.recent().map((r) => r.id)).toEqual(['r8', 'r9', 'r10', 'r11', 'r12']);
    expect(log.recent(2).map((r) => r.id)).toEqual(['r11', 'r12']);
    log.record(answered('r13'), 404, 13);
    expect(log.recent().map((r) => [r.id, r.status])).toEqual([
      ['r9', 200],
      ['r10', 200],
      ['r11', 200],
      ['r12', 200],
      ['r13', 404],
    ]);
  });

  it('starts over after clear(), and tells subscribers of each record', () => {
    const log = new RequestLog(3);
    const seen: string[] = [];
    log.subscribe((r) => seen.push(r.id));
    for (let i = 0; i < 4; i++) log.record(answered(`a${i}`), 200, i);
    log.clear();
    expect(log.recent()).toEqual([]);
    log.record(answered('b0'), 200, 5);
    log.record(answered('b1'), 200, 6);
    expect(log.recent().map((r) => r.id)).toEqual(['b0', 'b1']);
    expect(seen).toEqual(['a0', 'a1', 'a2', 'a3', 'b0', 'b1']);
  });
});
