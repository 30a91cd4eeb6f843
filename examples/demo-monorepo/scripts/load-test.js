#!/usr/bin/env node
// A small load test of the built API (npm run test:load builds it first):
// starts the server on a free port, sends concurrent requests to the main
// read endpoints for a few seconds, and fails when errors appear or the p95
// latency passes the budget. Settings: LOAD_SECONDS (3), LOAD_CONNECTIONS
// (10), LOAD_P95_MS (200).
'use strict';

const http = require('node:http');
const { buildApp } = require('../dist/app');

const seconds = Number(process.env.LOAD_SECONDS || 3);
const connections = Number(process.env.LOAD_CONNECTIONS || 10);
const budgetMs = Number(process.env.LOAD_P95_MS || 200);
const paths = ['/health', '/communities', '/users?limit=10'];

function get(port, path) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const request = http.get({ host: '127.0.0.1', port, path, agent: keepAlive }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    request.on('error', () => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: connections });

async function main() {
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
  const app = buildApp({ logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address();
  const deadline = Date.now() + seconds * 1000;
  const samples = [];
  let errors = 0;
  const worker = async (n) => {
    for (let i = n; Date.now() < deadline; i++) {
      const result = await get(port, paths[i % paths.length]);
      samples.push(result.ms);
      if (result.status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, n) => worker(n)));
  keepAlive.destroy();
  await app.close();
  samples.sort((a, b) => a - b);
  const p = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] || 0;
  console.log(`load: ${samples.length} requests in ${seconds}s over ${connections} connections, ${errors} errors`);
  console.log(`load: latency p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms (budget p95 ${budgetMs} ms)`);
  if (samples.length === 0 || errors > 0 || p(0.95) > budgetMs) {
    console.error('load: FAILED');
    return 1;
  }
  return 0;
}

main().then((code) => (process.exitCode = code), (error) => {
  console.error(error);
  process.exitCode = 1;
});
