/**
 * The IDE's start script, served as /graphql/ide/start.js: the Content-Security-Policy allows
 * scripts from this origin only, never inline ones. It reads the endpoint from the page (so the
 * page decides the path) and talks to it on the same origin: queries over HTTP, with the headers
 * the user enters in GraphiQL's headers editor (an `Authorization` bearer token or an
 * `X-API-Key`), and subscriptions over a WebSocket at the same path.
 */
export const GRAPHIQL_START_SCRIPT = `'use strict';
(function () {
  var root = document.getElementById('graphiql');
  var url = new URL(root.getAttribute('data-endpoint'), window.location.href);
  var subscriptionUrl = new URL(url.href);
  subscriptionUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  var fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl: subscriptionUrl.href });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true, isHeadersEditorEnabled: true, shouldPersistHeaders: false })
  );
})();
`;

/** GraphiQL fills the window. */
export const PAGE_STYLE = 'html, body, #graphiql { height: 100%; margin: 0; overflow: hidden; }\n';
