import { DatasetView } from 'src/governance/privacy/views/minimised-view';

/**
 * What one answer (a response, a notification, a stream event) let out, dataset by dataset: what
 * the VGDS-View header and the read log are made from. Filled in by the decision point's
 * `show*` functions, which every read path calls.
 */
export class Disclosure {
  private readonly shown = new Map<string, { items: number; minimised: boolean }>();

  record(datasetId: string | undefined, view: DatasetView, items = 1): void {
    if (datasetId === undefined) return;
    const entry = this.shown.get(datasetId);
    if (entry) entry.items += items;
    else this.shown.set(datasetId, { items, minimised: view !== 'full' });
  }

  /** `minimised` when any of it was, `full` when only full views were shown, undefined when nothing was. */
  get view(): 'full' | 'minimised' | undefined {
    if (this.shown.size === 0) return undefined;
    return [...this.shown.values()].some((entry) => entry.minimised) ? 'minimised' : 'full';
  }

  /** Datasets and how many entities or instances of each were shown. */
  entries(): [string, { items: number; minimised: boolean }][] {
    return [...this.shown.entries()];
  }
}
