// A counting semaphore. argon2id uses ~19 MiB per hash; unbounded parallel hashing under a login
// flood would exhaust memory and starve every other request, so hashing waits its turn.
export class ConcurrencyLimit {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  /** Tasks running now (read by the metrics). */
  get active(): number {
    return this.#active;
  }
  /** Tasks waiting for a turn (read by the metrics). */
  get waiting(): number {
    return this.#waiting.length;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active++;
    try {
      return await task();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}
