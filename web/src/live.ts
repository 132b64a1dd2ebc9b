import { fromNormalized, type DatasetEntity } from './datasets-api';

/*
 * Live updates from the change feed (GET /api/v1/changes, Server-Sent Events). EventSource sends
 * no headers, so it follows open datasets only; the browser reconnects and resumes by itself.
 */
export function followChanges(datasetId: string, onEntity: (entity: DatasetEntity) => void): () => void {
  const source = new EventSource(`/api/v1/changes?dataset=${encodeURIComponent(datasetId)}`);
  source.addEventListener('change', (event) => {
    const change = JSON.parse((event as MessageEvent<string>).data) as { operation: string; entity?: Record<string, unknown> };
    if (change.entity && change.operation !== 'delete') onEntity(fromNormalized(change.entity));
  });
  return () => source.close();
}
