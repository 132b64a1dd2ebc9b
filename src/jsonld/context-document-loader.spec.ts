import { loadConfig } from 'src/config/app-config';
import { ContextDocumentLoader } from 'src/jsonld/context-document-loader';
import { HostedContextsRepository } from 'src/jsonld/hosted-contexts.repository';
import { ModelRegistry } from 'src/models/model-registry';

describe('ContextDocumentLoader and the data models', () => {
  const config = loadConfig({ NODE_ENV: 'test', CONTEXT_ALLOWED_HOSTS: 'contexts.invalid' });
  const loader = new ContextDocumentLoader(config, {} as HostedContextsRepository, new ModelRegistry());

  it("answers a registered model's published context from the registry, without fetching it", async () => {
    const fetched = jest.spyOn(globalThis, 'fetch');
    const { document } = await loader.load('https://raw.githubusercontent.com/smart-data-models/dataModel.WaterQuality/master/context.jsonld');
    expect(document).toMatchObject({
      '@context': {
        WaterQualityObserved: 'https://smartdatamodels.org/dataModel.WaterQuality/WaterQualityObserved',
        'N-TOT': 'https://smartdatamodels.org/dataModel.WaterQuality/N-TOT',
      },
    });
    expect(fetched).not.toHaveBeenCalled();
    fetched.mockRestore();
  });

  it('still refuses other hosts', async () => {
    await expect(loader.load('https://raw.githubusercontent.com/smart-data-models/dataModel.Unknown/master/context.jsonld')).rejects.toThrow(/is not among the hosts/);
  });
});
