import { Injectable } from '@nestjs/common';
import { AccessContext } from 'src/common/access/access-context';
import { ReadAllowance } from 'src/governance/policy-decision-point';
import { PurposeRequired } from 'src/governance/problems';
import { EntitiesRepository } from 'src/ngsi-ld/entities/entities.repository';
import { EntityFilter } from 'src/ngsi-ld/query/entity-filter';

/**
 * Personal data is read only for a purpose its dataset allows. The decision point leaves datasets
 * the caller could read for another purpose out of the allowance; this says so (403, naming the
 * purposes) when a read would have found something there, instead of an answer silently short.
 * Costs nothing for callers with no such dataset, one probe per dataset otherwise.
 */
@Injectable()
export class PurposeCheck {
  constructor(private readonly repository: EntitiesRepository) {}

  async checkQuery(access: AccessContext, allowance: ReadAllowance, filter: EntityFilter): Promise<void> {
    if (allowance.purposeNeeded.size === 0) return;
    // Decided on what the caller's views show: the refusal must not tell what a view hides.
    const drawn = await this.repository.datasetsDrawnOn(access.tenant, [...allowance.purposeNeeded.keys()], filter, { minimised: allowance.minimised });
    if (drawn.size > 0) throw this.refusal(access, allowance, drawn);
  }

  /** After an entity was not found among the readable datasets: refuses when it is in one that needs a purpose. */
  async checkEntity(access: AccessContext, allowance: ReadAllowance, id: string): Promise<void> {
    if (allowance.purposeNeeded.size === 0) return;
    const entity = await this.repository.findById(access.tenant, id, [...allowance.purposeNeeded.keys()]);
    if (entity) throw this.refusal(access, allowance, new Set([entity.datasetId!]));
  }

  private refusal(access: AccessContext, allowance: ReadAllowance, datasets: ReadonlySet<string>): PurposeRequired {
    return new PurposeRequired(new Map([...allowance.purposeNeeded].filter(([id]) => datasets.has(id))), access.purpose);
  }
}
