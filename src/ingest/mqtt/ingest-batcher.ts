export interface BatcherOptions {
  readonly maxBatch: number;
  readonly lingerMs: number;
  /** How many waiting messages make a batch worth committing without lingering (one per connected MQTT connection). */
  readonly capacity: () => number;
  /** Back-off between attempts while commits fail (the database is away). */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number };
}

/** Told whether the message's batch committed: only then may it be acknowledged to the broker. */
export type Settle = (committed: boolean) => void;

interface Waiting<M> {
  readonly message: M;
  readonly settle: Settle;
}

/**
 * Collects messages into batches and commits one batch at a time, in the order they came. A batch
 * is committed when the one before it is done and enough are waiting (`capacity`), or `lingerMs`
 * after its first message; what arrives during a commit makes the next batch (up to `maxBatch`).
 * A commit that throws is retried with back-off, for as long as it takes; its messages stay
 * unsettled meanwhile, so nothing is acknowledged that is not stored, and the connections take no
 * more than their in-flight window: the broker holds the rest.
 */
export class IngestBatcher<M> {
  private waiting: Waiting<M>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly options: BatcherOptions,
    private readonly commit: (batch: readonly M[]) => Promise<void>,
    private readonly onRetry: (error: unknown, delayMs: number) => void = () => undefined,
  ) {}

  add(message: M, settle: Settle): void {
    if (this.stopped) return settle(false);
    this.waiting.push({ message, settle });
    this.schedule();
  }

  /** Stops taking messages; waits for the commit under way. Messages not committed are settled unacknowledged. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.committing;
    for (const { settle } of this.waiting.splice(0)) settle(false);
  }

  private schedule(): void {
    if (this.committing || this.waiting.length === 0 || this.stopped) return;
    const full = Math.min(this.options.maxBatch, Math.max(1, this.options.capacity()));
    if (this.waiting.length >= full) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.committing || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.options.maxBatch);
    this.committing = this.commitUntilDone(batch.map((w) => w.message))
      .then((committed) => batch.forEach((w) => w.settle(committed)))
      .finally(() => {
        this.committing = undefined;
        this.schedule();
      });
  }

  private async commitUntilDone(messages: readonly M[]): Promise<boolean> {
    const { initialMs, maxMs } = this.options.retry ?? { initialMs: 200, maxMs: 30_000 };
    for (let delay = initialMs; ; delay = Math.min(delay * 2, maxMs)) {
      try {
        await this.commit(messages);
        return true;
      } catch (error) {
        if (this.stopped) return false;
        this.onRetry(error, delay);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
        if (this.stopped) return false;
      }
    }
  }
}
