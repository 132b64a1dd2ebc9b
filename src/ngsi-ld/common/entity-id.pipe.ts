import { Injectable, PipeTransform } from '@nestjs/common';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { isUri } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

/** An entity id in a path must be a URI (clause 6.3.x), else 400 BadRequestData. */
@Injectable()
export class EntityIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUri(value)) throw new BadRequestData(`"${value}" is not a valid entity id (a URI)`);
    return value;
  }
}

/** A subscription id in a path must be a URI too. */
@Injectable()
export class SubscriptionIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUri(value)) throw new BadRequestData(`"${value}" is not a valid subscription id (a URI)`);
    return value;
  }
}
