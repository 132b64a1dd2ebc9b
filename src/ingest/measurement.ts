/**
 * What the MQTT side hands to the write path: measurements already mapped from a device payload
 * to NGSI-LD attributes (expanded IRIs), each on behalf of one registered device.
 */
export interface IngestingDevice {
  /** The registry's id of the device (a UUID). */
  readonly id: string;
  readonly organisation: string;
  /** NGSILD-Tenant the target entity lives in ('' = the default tenant). */
  readonly tenant: string;
  /** The dataset the device writes into; the device may write nothing else. */
  readonly datasetId: string;
  readonly entityId: string;
  /** Expanded type IRI of the target entity. */
  readonly entityType: string;
}

/** One value of one attribute, already scaled and range-checked by the mapping. */
export interface MeasuredValue {
  readonly value: number | string | boolean;
  readonly unitCode?: string;
}

export interface Measurement {
  readonly device: IngestingDevice;
  /** When the device observed the values (ISO 8601, UTC); the receive time when the payload has none. */
  readonly observedAt: string;
  /** Expanded attribute IRI → value. */
  readonly attributes: ReadonlyMap<string, MeasuredValue>;
}

export type MeasurementOutcome = { readonly accepted: true } | { readonly accepted: false; readonly reason: string };
