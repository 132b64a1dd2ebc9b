import { ModelRegistry } from 'src/models/model-registry';
import { ModelValidator } from 'src/models/model-validator';
import { BadRequestData } from 'src/common/problem/ngsi-ld-errors';

const WQ = 'https://smartdatamodels.org/dataModel.WaterQuality/';

describe('ModelValidator', () => {
  const registry = new ModelRegistry();
  const validator = new ModelValidator();
  const water = registry.byName('WaterQualityObserved')!;
  const entity = (attributes: Record<string, unknown[]>) => ({ id: 'urn:ngsi-ld:WaterQualityObserved:1', types: [water.typeIri], attributes: attributes as never });

  it('names the attribute, the rule and the model', () => {
    expect(validator.violations(water, entity({ [`${WQ}temperature`]: [{ type: 'Property', value: 'warm' }] }), 'change')).toEqual([
      'temperature: must be a number (WaterQualityObserved)',
    ]);
    expect(validator.violations(water, entity({ [`${WQ}Al`]: [{ type: 'Property', value: -1 }] }), 'change')).toEqual(['Al: must be >= 0 (WaterQualityObserved)']);
  });

  it('names what a new entity lacks', () => {
    expect(validator.violations(water, entity({}), 'create')).toEqual(['dateObserved: is required', 'location: is required']);
  });

  it('names a wrong kind', () => {
    const weather = registry.byName('WeatherObserved')!;
    const found = validator.violations(
      weather,
      { id: 'urn:ngsi-ld:WeatherObserved:1', types: [weather.typeIri], attributes: { 'https://smartdatamodels.org/dataModel.Weather/refDevice': [{ type: 'Property', value: 'urn:x:1' }] } },
      'change',
    );
    expect(found).toContain('refDevice: must be a Relationship (WeatherObserved)');
  });

  it('refuses with BadRequestData', () => {
    expect(() => validator.assertValid(water, entity({ [`${WQ}pH`]: [{ type: 'Property', value: true }] }), 'change')).toThrow(BadRequestData);
    expect(() => validator.assertValid(water, entity({ [`${WQ}pH`]: [{ type: 'Property', value: 7 }] }), 'change')).not.toThrow();
  });
});
