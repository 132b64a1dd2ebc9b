import { Injectable } from '@nestjs/common';

type Listener = () => void;

/**
 * In-process wake-ups of the change feed: a write path says it committed changes (the sequencer
 * numbers them at once instead of at its next poll), and the sequencer says it numbered some (SSE
 * streams read them at once). Other replicas' writes are found by polling.
 */
@Injectable()
export class ChangeSignal {
  private readonly committedListeners = new Set<Listener>();
  private readonly positionedListeners = new Set<Listener>();

  committed(): void {
    for (const listener of this.committedListeners) listener();
  }

  positioned(): void {
    for (const listener of this.positionedListeners) listener();
  }

  onCommitted(listener: Listener): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  /** Resolves at the next {@link positioned}, after `timeoutMs`, or when `abort` fires. */
  nextPositioned(timeoutMs: number, abort?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.positionedListeners.delete(done);
        abort?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.positionedListeners.add(done);
      abort?.addEventListener('abort', done);
    });
  }
}
