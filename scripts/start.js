#!/usr/bin/env node
// Demo network entry point (`npm start`). The servers are not built yet: say what exists.
console.log(`mimi discovery: the demo network is not available yet.

What works today:
  npm test          build and run the suite (protocol objects, DNSSEC engine, interop with ldns/knot)
`);
