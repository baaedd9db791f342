// graphql-js reads the live schema with its standard introspection query, without a token, and compares
// it with the checked-in SDL. Both are printed by graphql-js after sorting, so only a real difference
// (a type, field, argument, description, deprecation or @specifiedBy) fails.
// Usage: node schema.mjs '{"url": "http://host:port/graphql", "sdl": "path/to/schema.graphql"}'
import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';

const { url, sdl } = JSON.parse(process.argv[2]);
const query = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});
const response = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query }),
});
const body = await response.json();
if (response.status !== 200 || body.errors) {
  console.error(`introspection failed with ${response.status}: ${JSON.stringify(body.errors)}`);
  process.exit(1);
}
const live = lexicographicSortSchema(buildClientSchema(body.data));
const checkedIn = lexicographicSortSchema(buildSchema(readFileSync(sdl, 'utf8')));
const [printedLive, printedCheckedIn] = [printSchema(live), printSchema(checkedIn)];
if (printedLive !== printedCheckedIn) {
  const a = printedLive.split('\n');
  const b = printedCheckedIn.split('\n');
  const line = a.findIndex((text, index) => text !== b[index]);
  console.error(`the live schema differs from ${sdl} at line ${line + 1} of the sorted print:`);
  console.error(`  live:       ${a.slice(Math.max(0, line - 2), line + 3).join('\n              ')}`);
  console.error(`  checked in: ${b.slice(Math.max(0, line - 2), line + 3).join('\n              ')}`);
  process.exit(1);
}
const scalars = Object.values(live.getTypeMap())
  .filter((type) => type.specifiedByURL)
  .map((type) => type.name);
console.log(JSON.stringify({ types: Object.keys(live.getTypeMap()).length, specifiedBy: scalars }));
