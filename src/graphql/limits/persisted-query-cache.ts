import { LRUCache } from 'lru-cache';

/**
 * Where automatic persisted queries keep query texts by their hash: in memory, bounded by the
 * texts' size, least recently used forgotten first. A store of its own rather than Apollo
 * Server's shared cache, so that clients registering queries cannot crowd out anything else.
 * (Apollo's KeyValueCache<string> interface; its TTL, in seconds, is honoured when one is given.)
 */
export class PersistedQueryCache {
  private readonly texts: LRUCache<string, string>;

  constructor(maxBytes: number) {
    // Two bytes a UTF-16 code unit, as the strings are held.
    this.texts = new LRUCache<string, string>({ maxSize: maxBytes, sizeCalculation: (text, key) => 2 * (text.length + key.length) || 1 });
  }

  async get(key: string): Promise<string | undefined> {
    return this.texts.get(key);
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    this.texts.set(key, value, options?.ttl ? { ttl: options.ttl * 1000 } : undefined);
  }

  async delete(key: string): Promise<boolean> {
    return this.texts.delete(key);
  }
}
