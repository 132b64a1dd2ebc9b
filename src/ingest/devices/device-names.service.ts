import { Injectable } from '@nestjs/common';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';
import { AppConfig } from 'src/config/app-config';
import { InjectConfig } from 'src/config/config.module';
import { CompiledContext } from 'src/jsonld/compiled-context';
import { ContextCompiler } from 'src/jsonld/context-compiler';
import { DeviceRecord } from 'src/ingest/devices/devices.repository';
import { toDeviceView } from 'src/ingest/devices/device.mapper';
import { AttributeMapping } from 'src/ingest/payload/attribute-mapping';
import { expandName } from 'src/ngsi-ld/query/entity-filter';
import { MAX_ATTRIBUTE_IRI_LENGTH } from 'src/ngsi-ld/representation/ngsi-ld-syntax';

/** Names the core context reserves for NGSI-LD itself (location, observedAt, ...); user attributes live elsewhere. */
const CORE_NAMESPACE = 'https://uri.etsi.org/ngsi-ld/';
const DEFAULT_NAMESPACE = 'https://uri.etsi.org/ngsi-ld/default-context/';

export interface DeviceNamesInput {
  readonly entityType: string;
  readonly mapping: readonly AttributeMapping[];
  readonly jsonldContext: string | null;
}

/**
 * The device's names in both directions: entity type and attribute names expanded to IRIs with
 * the device's @context (or the core context) when stored, as the datasets module expands rule
 * types, and compacted with the same context when shown.
 */
@Injectable()
export class DeviceNames {
  constructor(
    private readonly contexts: ContextCompiler,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Expanded type and mapping; every name that does not expand, or is reserved, is listed in one 400. */
  async expand(input: DeviceNamesInput): Promise<{ entityType: string; mapping: AttributeMapping[] }> {
    const { compiled } = await this.contexts.compile(input.jsonldContext ?? undefined);
    const problems: string[] = [];
    const expand = (name: string, what: string): string => {
      try {
        return expandName(compiled, name, what);
      } catch (error) {
        if (!(error instanceof BadRequestData)) throw error;
        problems.push(error.message);
        return name;
      }
    };
    const entityType = expand(input.entityType, 'entity.type');
    const mapping = input.mapping.map((rule, i) => {
      const attribute = expand(rule.attribute, `mapping.${i}.attribute`);
      if (attribute.startsWith(CORE_NAMESPACE) && !attribute.startsWith(DEFAULT_NAMESPACE)) {
        problems.push(`mapping.${i}.attribute: "${rule.attribute}" is a name NGSI-LD reserves; choose another attribute name`);
      }
      if (attribute.length > MAX_ATTRIBUTE_IRI_LENGTH) {
        problems.push(`mapping.${i}.attribute: its IRI has ${attribute.length} characters, at most ${MAX_ATTRIBUTE_IRI_LENGTH} are taken`);
      }
      return { ...rule, attribute };
    });
    if (new Set(mapping.map((rule) => rule.attribute)).size < mapping.length) problems.push('mapping: two rules name the same attribute');
    if (problems.length > 0) throw new BadRequestData(`The device is not valid: ${problems.join('; ')}`);
    return { entityType, mapping };
  }

  /** The device as the API shows it; names stay IRIs when its @context cannot be loaded now. */
  async view(record: DeviceRecord): Promise<Record<string, unknown>> {
    let compiled: CompiledContext | undefined;
    try {
      compiled = (await this.contexts.compile(record.jsonldContext ?? undefined)).compiled;
    } catch {
      compiled = undefined;
    }
    const compact = (iri: string) => compiled?.compactIri(iri) ?? iri;
    return toDeviceView(record, compact, { baseUrl: this.config.http.publicBaseUrl, topicPrefix: this.config.mqtt.topicPrefix });
  }
}
