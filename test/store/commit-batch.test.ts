import { describe, expect, it } from 'vitest';
import { CommitBatch } from '../../src/store/commit-batch.js';

/** A fake transaction runner that records how many transactions ran and rolls back a unit's writes when one throws. */
function harness() {
  const committed: string[] = [];
  const removed: string[] = [];
  let transactions = 0;
  const transaction = <T>(fn: () => T): T => {
    transactions++;
    const mark = committed.length;
    try {
      return fn();
    } catch (err) {
      committed.length = mark;
      throw err;
    }
  };
  const batch = new CommitBatch(transaction, (files) => removed.push(...files));
  return { batch, committed, removed, transactions: () => transactions };
}

describe('CommitBatch (live segment group commit)', () => {
  it('runs the work queued in one event-loop turn in one transaction, then removes the replaced files', async () => {
    const h = harness();
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        h.batch.add(() => {
          h.committed.push(name);
          return [`old-${name}`];
        }),
      ),
    );
    expect(h.committed).toEqual(['a', 'b', 'c']);
    expect(h.transactions()).toBe(1);
    expect(h.removed).toEqual(['old-a', 'old-b', 'old-c']);
  });

  it('fails only the unit that throws: the others are retried one transaction each and commit', async () => {
    const h = harness();
    const results = await Promise.allSettled(
      ['a', 'bad', 'c'].map((name) =>
        h.batch.add(() => {
          if (name === 'bad') throw new Error('constraint');
          h.committed.push(name);
          return [];
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(h.committed).toEqual(['a', 'c']);
    expect(h.transactions()).toBe(4); // the shared one (rolled back), then one per unit
  });

  it('does not settle a caller before its transaction ran', async () => {
    const h = harness();
    let settled = false;
    const done = h.batch.add(() => {
      h.committed.push('x');
      return [];
    });
    void done.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(h.committed).toEqual([]);
    await done;
    expect(h.committed).toEqual(['x']);
  });
});
