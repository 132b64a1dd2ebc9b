import { ChangeRecord } from 'src/changes/change-record';

/**
 * What one subscription has pending, held in memory while the sender keeps up, so that the
 * common case costs no read: the sequencer hands each matched change over right after its commit.
 * The pending rows in the database stay the truth. After a start, or once more than `capacity`
 * changes wait (a slow or dead endpoint), the sender reads them from the database instead, and
 * comes back to memory when a read finds all there is: the changes handed over during that read
 * (kept aside meanwhile) are exactly those the read may have missed.
 */
export class PendingQueue {
  /** Defined while caught up: everything pending, in order. */
  private memory?: ChangeRecord[];
  /** Handed over while the sender reads from the database. */
  private aside: ChangeRecord[] = [];
  private asideOverflowed = false;
  private lastDone = 0;

  constructor(private readonly capacity: number) {}

  get inMemory(): boolean {
    return this.memory !== undefined;
  }

  offer(changes: readonly ChangeRecord[]): void {
    if (this.memory) {
      this.memory.push(...changes);
      if (this.memory.length > this.capacity) {
        // Too far behind to hold: the database has them all.
        this.forget();
      }
      return;
    }
    if (this.asideOverflowed) return;
    this.aside.push(...changes);
    if (this.aside.length > this.capacity) {
      this.aside = [];
      this.asideOverflowed = true;
    }
  }

  /**
   * Reads from the database from now on, until a read finds all there is: when the sender is too
   * far behind to hold its changes, and when they may have changed meanwhile (erased, anonymised,
   * pruned by retention), since the database holds them as they are now.
   */
  forget(): void {
    this.memory = undefined;
    this.aside = [];
    this.asideOverflowed = false;
  }

  /** The oldest pending changes in memory (up to `limit`), or undefined: read them from the database. */
  next(limit: number): ChangeRecord[] | undefined {
    return this.memory?.slice(0, limit);
  }

  /** These changes (sent or withheld) are done with. */
  done(changes: readonly ChangeRecord[]): void {
    const last = changes.at(-1)?.position;
    if (last === undefined) return;
    this.lastDone = Math.max(this.lastDone, last);
    if (this.memory) while (this.memory.length > 0 && this.memory[0].position <= last) this.memory.shift();
  }

  /**
   * A database read returned `read` (asked for `limit`), and those are done with. If it found all
   * there was, what was handed over meanwhile and is newer completes the picture: back to memory.
   */
  readAll(read: readonly ChangeRecord[], limit: number): void {
    if (this.memory || read.length >= limit) return;
    if (this.asideOverflowed) {
      this.asideOverflowed = false;
      return;
    }
    this.memory = this.aside.filter((change) => change.position > this.lastDone);
    this.aside = [];
  }
}
