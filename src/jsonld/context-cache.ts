import { LRUCache } from 'lru-cache';
import { AppConfig } from 'src/config/app-config';

/** A cache sized and aged by CONTEXT_CACHE_ENTRIES and CONTEXT_CACHE_TTL_SECONDS (0: no expiry). */
export function contextCache<V extends object>(config: AppConfig): LRUCache<string, V> {
  return new LRUCache<string, V>({
    max: config.jsonld.cacheEntries,
    ttl: config.jsonld.cacheTtlSeconds * 1000 || undefined,
  });
}
