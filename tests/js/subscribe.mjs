// The graphql-ws client (graphql-transport-ws) subscribes with the token in connection_init, then a
// mutation over HTTP triggers an event. The mutation is repeated until the event arrives, because a
// subscription starts asynchronously.
// Usage: node subscribe.mjs '{"http": URL, "ws": URL, "token": T, "subscription": Q,
//                              "trigger": {"token": T, "query": Q, "variables": {...}}}'
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const config = JSON.parse(process.argv[2]);
const client = createClient({
  url: config.ws,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${config.token}` },
  retryAttempts: 0,
});

async function trigger(attempt) {
  const variables = JSON.parse(JSON.stringify(config.trigger.variables).replaceAll('{attempt}', String(attempt)));
  const response = await fetch(config.http, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${config.trigger.token}` },
    body: JSON.stringify({ query: config.trigger.query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`the trigger failed: ${JSON.stringify(body.errors)}`);
  return performance.now();
}

const events = client.iterate({ query: config.subscription });
let sent = 0;
let attempt = 0;
const first = events.next();
let received;
while (!received && attempt < 6) {
  await new Promise((resolve) => setTimeout(resolve, 300));
  sent = await trigger(attempt++);
  received = await Promise.race([first, new Promise((resolve) => setTimeout(() => resolve(undefined), 2000))]);
}
if (!received) {
  console.error('no event reached the graphql-ws client');
  process.exit(1);
}
const latencyMs = performance.now() - sent;
await events.return();
await client.dispose();
console.log(JSON.stringify({ event: received.value, latencyMs, triggers: attempt }));
