import { DatasetFacts, NO_FACTS } from 'src/catalog/catalog-entry';

/**
 * The facts from the data of listed datasets (coverage, last change, update rate), kept between
 * catalog builds. They change with every write, and a harvester comes once a day: they are read
 * again when entities were written since and the last reading is older than `maxAgeMs`. A
 * dataset not seen before (newly listed) has its facts read at once, alone.
 */
export class FactsCache {
  private facts = new Map<string, DatasetFacts>();
  private position: string | undefined;
  private readAt = 0;

  constructor(
    private readonly load: (ids: readonly string[]) => Promise<Map<string, DatasetFacts>>,
    private readonly maxAgeMs: number,
  ) {}

  /** The facts of `ids`, as of the change feed's `position` or at most `maxAgeMs` older. */
  async of(ids: readonly string[], position: string): Promise<ReadonlyMap<string, DatasetFacts>> {
    const stale = position !== this.position && Date.now() - this.readAt >= this.maxAgeMs;
    const wanted = stale ? ids : ids.filter((id) => !this.facts.has(id));
    if (wanted.length === 0) return this.facts;
    const loaded = await this.load(wanted);
    if (stale) {
      this.facts = new Map();
      this.position = position;
      this.readAt = Date.now();
    }
    for (const id of wanted) this.facts.set(id, loaded.get(id) ?? NO_FACTS);
    return this.facts;
  }
}
