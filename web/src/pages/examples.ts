import { h } from '../dom';
import { t } from '../i18n/i18n';
import type { Dataset } from '../datasets-api';

/** Copy-ready requests for the same data through NGSI-LD, GraphQL and the change feed. */
export function examples(dataset: Dataset, sampleEntityId: string | undefined): HTMLElement {
  const origin = location.origin;
  const type = dataset.entities.find((rule) => rule.type)?.type;
  const ngsi = sampleEntityId
    ? `curl '${origin}/ngsi-ld/v1/entities/${encodeURIComponent(sampleEntityId)}'`
    : `curl '${origin}/ngsi-ld/v1/entities?type=${encodeURIComponent(type ?? '')}&limit=20'`;
  const graphqlQuery = `curl -X POST '${origin}/graphql' -H 'Content-Type: application/json' -d '${JSON.stringify({
    query: `{ dataset(id: "${dataset.id}") { title entities(first: 20) { totalCount nodes { id attributes } } } }`,
  })}'`;
  const sse = `curl -N '${origin}/api/v1/changes?dataset=${dataset.id}'`;
  return h('div', { class: 'examples' }, example('ex-ngsi', t('exampleNgsiLd'), ngsi), example('ex-graphql', t('exampleGraphql'), graphqlQuery), example('ex-sse', t('exampleSse'), sse));
}

function example(id: string, title: string, text: string): HTMLElement {
  const code = h('pre', { id, tabindex: 0 }, h('code', {}, text));
  const button = h('button', { type: 'button', 'aria-describedby': `${id}-title` }, t('copy'));
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).then(() => (button.textContent = t('copied')));
  });
  return h('div', { class: 'example' }, h('h3', { id: `${id}-title` }, title), code, button);
}
