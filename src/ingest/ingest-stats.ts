import { Injectable } from '@nestjs/common';

/** Counters of this process's ingestion since it started, for /api/v1/ingest/status. */
@Injectable()
export class IngestStats {
  received = 0;
  accepted = 0;
  rejected = 0;
  batches = 0;
  /** Commits that failed and were retried (the database was away). */
  failedCommits = 0;
  lastBatch: { readonly at: string; readonly size: number; readonly ms: number } | undefined;
}
