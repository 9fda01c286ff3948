/** One kind of work a process finishes before it exits (HTTP requests, queue jobs). */
export interface Drain {
  /** What is still in flight, for the log, e.g. "2 requests in flight". */
  describe(): string;
  /**
   * Stops taking new work and resolves when the current work is done. Work that can be
   * interrupted cleanly is interrupted at `interruptAt` (epoch ms).
   */
  drain(interruptAt: number): Promise<void>;
  /** The deadline passed: drop whatever is left. */
  force(): void;
}
