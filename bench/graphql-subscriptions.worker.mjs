// The subscribers of bench/graphql-subscriptions.mjs, in a worker thread: `subscriptions`
// graphql-ws subscriptions over `connections` sockets, each update (value v, on entity v % entities)
// reaching exactly `fanOut` of them; notes (value, arrival time) of every event.
import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { url, fanOut, connections, subscriptions, entities, entityIds } = workerData;
const groups = subscriptions / fanOut;
if (!Number.isInteger(groups) || (groups > 1 && entities % groups !== 0)) throw new Error(`fan-out ${fanOut} does not split ${subscriptions} subscriptions over ${entities} entities`);

const QUERY = `subscription ($ids: [ID!], $q: String) {
  entityChanged(type: "WaterQualityObserved", ids: $ids, q: $q) { cursor kind id entity { ... on WaterQualityObserved { temperature } } }
}`;

let values = new Float64Array(1 << 20);
let times = new Float64Array(1 << 20);
let count = 0;
let errors = 0;
let ended = 0;
const heard = new Uint8Array(subscriptions);
const clients = [];

function record(value, at) {
  if (count === values.length) {
    const grow = (old) => {
      const next = new Float64Array(old.length * 2);
      next.set(old);
      return next;
    };
    values = grow(values);
    times = grow(times);
  }
  values[count] = value;
  times[count++] = at;
}

function open() {
  for (let c = 0; c < connections; c++) clients.push(createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, keepAlive: 0 }));
  for (let s = 0; s < subscriptions; s++) {
    const group = s % groups;
    let variables = {};
    if (groups > 1) variables = { ids: entityIds.filter((_, e) => e % groups === group) };
    else if (s % 2 === 1) variables = { q: 'temperature>=0' };
    clients[s % connections].subscribe(
      { query: QUERY, variables },
      {
        next: (result) => {
          const at = performance.timeOrigin + performance.now();
          const temperature = result.data?.entityChanged?.entity?.temperature;
          if (result.errors || typeof temperature !== 'number') {
            errors++;
            return;
          }
          heard[s] = 1;
          if (temperature >= 0) record(temperature, at);
        },
        error: () => ended++,
        complete: () => ended++,
      },
    );
  }
  return { subscriptions, connections };
}

parentPort.on('message', async (message) => {
  switch (message.do) {
    case 'open':
      parentPort.postMessage(open());
      break;
    case 'count':
      parentPort.postMessage({ received: count, errors, ended, subscriptionsHeard: heard.reduce((a, b) => a + b, 0) });
      break;
    case 'reset':
      count = 0;
      errors = 0;
      parentPort.postMessage({});
      break;
    case 'collect':
      parentPort.postMessage({ count, errors, ended, values: values.subarray(0, count), times: times.subarray(0, count) });
      break;
    case 'close':
      await Promise.all(clients.map((client) => client.dispose()));
      parentPort.postMessage({});
      break;
  }
});
