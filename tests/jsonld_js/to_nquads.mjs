// The npm jsonld processor, offline, for tests/server/test_jsonld_processors.py.
//
// Reads {"allowed": "http://127.0.0.1:PORT/", "documents": [{"name", "base", "body"}]} on
// standard input and writes {"results": [{"name", "nquads" | "error"}], "loaded": [...],
// "refused": [...], "connections": [...]} on standard output. A remote context is loaded
// only from the allowed prefix (the test's running server); any other URL is refused, and
// every socket connection the process opens is recorded, and refused unless it goes to the
// allowed host and port.
import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import {readFileSync} from 'node:fs';

import jsonld from 'jsonld';

const input = JSON.parse(readFileSync(0, 'utf8'));
const allowed = new URL(input.allowed);
const connections = [];
const loaded = [];
const refused = [];

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : {port: first, host: args[1]};
  const target = {host: options.host ?? 'localhost', port: Number(options.port), path: options.path ?? null};
  connections.push(target);
  if (target.path !== null || target.host !== allowed.hostname || target.port !== Number(allowed.port)) {
    throw new Error(`connection to ${target.host}:${target.port} refused by the test`);
  }
  return connect.apply(this, args);
};
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
  connections.push({host, port: null, path: null, lookup: true});
  return lookup.call(this, host, ...rest);
};

function get(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, {headers: {Accept: 'application/ld+json'}}, response => {
      const chunks = [];
      response.on('data', chunk => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) {
          reject(new Error(`${url}: HTTP ${response.statusCode}`));
        } else {
          resolve(body);
        }
      });
    });
    request.on('error', reject);
  });
}

async function documentLoader(url) {
  if (!url.startsWith(input.allowed)) {
    refused.push(url);
    throw new Error(`refusing to load ${url}: only ${input.allowed} is allowed`);
  }
  loaded.push(url);
  const document = JSON.parse(await get(url));
  return {contextUrl: null, documentUrl: url, document};
}

const results = [];
for (const doc of input.documents) {
  try {
    const nquads = await jsonld.toRDF(JSON.parse(doc.body), {
      format: 'application/n-quads',
      base: doc.base,
      documentLoader,
    });
    results.push({name: doc.name, nquads});
  } catch (error) {
    results.push({name: doc.name, error: String(error && (error.details ? JSON.stringify(error.details) : error.message))});
  }
}
process.stdout.write(JSON.stringify({results, loaded, refused, connections}));
