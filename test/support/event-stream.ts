/** A Server-Sent Events stream read as text, as a browser's EventSource would receive it. */
export interface EventStream {
  /** Resolves at the stream's first bytes. */
  readonly opened: Promise<void>;
  /** Everything the stream said, once the server ended it (or `close()` did). */
  readonly ended: Promise<string>;
  close(): void;
}

export function followEventStream(url: string, headers: Record<string, string> = {}): EventStream {
  const controller = new AbortController();
  let text = '';
  let opened!: () => void;
  const openedPromise = new Promise<void>((resolve) => (opened = resolve));
  const ended = (async () => {
    const res = await fetch(url, { headers, signal: controller.signal });
    if (res.status !== 200) throw new Error(`The stream answered ${res.status}: ${await res.text()}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        opened();
      }
    } catch {
      // closed by us, or cut rather than ended
    }
    return text;
  })();
  return { opened: openedPromise, ended, close: () => controller.abort() };
}
