/** Bounds how many processes run at once (all channels together); waiters queue in order. */
export class ProcessSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  /** Resolves when a slot is free; after wakeAll() it resolves at once (the caller checks why it woke, then release()s). */
  acquire(): Promise<void> {
    if (this.running < this.max) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running++;
        resolve();
      }),
    );
  }

  release(): void {
    this.running--;
    this.waiting.shift()?.();
  }

  /** Wakes every waiter (closing): each gets its slot and must release it. */
  wakeAll(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }
}
