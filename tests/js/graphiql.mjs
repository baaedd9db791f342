// GraphiQL as kinerja serves it, in headless Chromium: its Docs panel fills from the live schema without
// a token and without the internet, the Headers editor holds the Authorization line, a query runs with a
// token, and a subscription runs over graphql-transport-ws. A screenshot of the page is kept.
// Usage: node graphiql.mjs '{"base": "http://host:port", "chromium": PATH, "screenshot": PATH,
//                             "token": T, "subscription": Q, "trigger": {"token": T, "query": Q, "variables": {...}}}'
import { chromium } from 'playwright-core';

const config = JSON.parse(process.argv[2]);
const browser = await chromium.launch({ executablePath: config.chromium, args: ['--no-sandbox'] });
const fail = async (message) => {
  console.error(message);
  await browser.close();
  process.exit(1);
};
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const elsewhere = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(config.base)) elsewhere.push(request.url());
  });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${config.base}/graphql`);

  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('QueryRoot').first().waitFor({ timeout: 30000 });
  await page.screenshot({ path: config.screenshot });
  const docsText = await docs.innerText();

  const headers = await page.locator('.graphiql-editor-tool').innerText();
  if (!headers.includes('Authorization')) await fail(`the Headers editor holds no Authorization line: ${headers}`);

  // As GraphiQL itself calls its fetcher: with the parsed document, whose operation type picks HTTP or the
  // socket. The answer is a value or an async iterable of them (incremental delivery).
  await page.evaluate(() => {
    window.ask = async (text, token) => {
      const options = { headers: { Authorization: `Bearer ${token}` }, documentAST: GraphiQL.GraphQL.parse(text) };
      const answer = await fetcher({ query: text }, options);
      if (answer && typeof answer[Symbol.asyncIterator] === 'function') {
        const iterator = answer[Symbol.asyncIterator]();
        const step = await iterator.next();
        if (iterator.return) iterator.return();
        return step.value;
      }
      return answer;
    };
  });
  const query = await page.evaluate((token) => window.ask('{ viewer { role } }', token), config.token);
  if (query?.data?.viewer?.role === undefined) await fail(`the query from GraphiQL failed: ${JSON.stringify(query)}`);

  // The page's own fetcher subscribes over the socket; Node triggers the event meanwhile.
  const eventArrived = page.evaluate(
    ({ token, subscription }) =>
      new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error('no event within 15 s')), 15000);
        window.ask(subscription, token).then(resolve, reject);
      }),
    { token: config.token, subscription: config.subscription },
  ).then(
    (value) => ({ value }),
    (error) => ({ error: String(error) }),
  );
  let event;
  for (let attempt = 0; attempt < 6 && !event; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const variables = JSON.parse(JSON.stringify(config.trigger.variables).replaceAll('{attempt}', String(attempt)));
    await fetch(`${config.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.trigger.token}` },
      body: JSON.stringify({ query: config.trigger.query, variables }),
    });
    event = await Promise.race([eventArrived, new Promise((resolve) => setTimeout(() => resolve(undefined), 2000))]);
  }
  if (!event) await fail('no subscription event reached GraphiQL');
  if (event.error) await fail(`the subscription failed in GraphiQL: ${event.error}`);
  if (errors.length) await fail(`the page raised: ${errors.join('; ')}`);
  console.log(JSON.stringify({ docs: docsText.slice(0, 400), query, event: event.value, elsewhere }));
} catch (error) {
  await fail(String(error && error.stack ? error.stack : error));
}
await browser.close();
