import { ApolloPlugin } from 'src/graphql/limits/query-limits.plugin';
import { IDE_ASSET_NAMES, ideAsset } from 'src/graphql/ide/graphiql-assets';

/** Where the IDE's files are served (graphiql.controller.ts). */
export const IDE_ASSETS_PATH = '/graphql/ide';

/**
 * The IDE's page: GraphiQL from this service's own files, no inline script (the
 * Content-Security-Policy forbids it), no URL of another origin.
 */
export function graphiqlPage(endpoint: string): string {
  const url = (name: string) => `${IDE_ASSETS_PATH}/${name}?v=${ideAsset(name)!.version}`;
  const scripts = IDE_ASSET_NAMES.filter((name) => name.endsWith('.js'))
    .map((name) => `    <script src="${url(name)}" defer></script>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>vg-datashare GraphQL</title>
    <link rel="stylesheet" href="${url('graphiql.min.css')}">
    <link rel="stylesheet" href="${url('page.css')}">
${scripts}
  </head>
  <body>
    <div id="graphiql" data-endpoint="${escapeAttribute(endpoint)}">Loading GraphiQL…</div>
  </body>
</html>
`;
}

/**
 * GraphiQL as Apollo Server's landing page: what GET `endpoint` answers a browser (Accept:
 * text/html). GraphQLModule must be told `graphiql: false`, or it adds its own (from a CDN).
 */
export function graphiqlLandingPagePlugin(endpoint: string): ApolloPlugin {
  return {
    async serverWillStart() {
      const html = graphiqlPage(endpoint);
      return { async renderLandingPage() { return { html }; } };
    },
  };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
