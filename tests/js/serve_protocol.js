#!/usr/bin/env node
// The OTLP/HTTP protocol rules (../shared/spec/otlp-protocol.md) against a running
// `otlp2parquet serve`, one check per row of the response table and per transport feature.
//
//   node tests/js/serve_protocol.js <http-base-url> <mode>
//
// mode "open":     a server without a token, default limits (8 MiB body, 64 MiB decompressed)
// mode "token":    a server started with OTLP2PARQUET_AUTH_TOKEN=s3cret
// mode "overload": a server whose storage cannot be written (its output root sits under a
//                  regular file) and whose row budget (--max-buffered-bytes) is 1 MiB
// Every request of mode "open" that is accepted carries service.name "o2p-protocol"; the
// number of log records accepted is printed as "accepted=N" for the caller to check in the
// files.
'use strict';

const http = require('http');
const net = require('net');
const zlib = require('zlib');

let failures = 0;
let accepted = 0;

function check(condition, message) {
  if (!condition) {
    failures += 1;
    console.error(`FAIL: ${message}`);
  }
}

// --- protobuf by hand: ExportLogsServiceRequest with one resource, one scope, N records ---

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}
function field(number, bytes) {
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}
function fixed64(number, value) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return Buffer.concat([varint((number << 3) | 1), b]);
}
function stringValue(text) {
  return field(1, Buffer.from(text, 'utf8'));
}
function keyValue(key, text) {
  return field(1, Buffer.concat([field(1, Buffer.from(key)), field(2, stringValue(text))]));
}
const kNowNanos = BigInt(Date.now()) * 1000000n;
function logsProto(records, service = 'o2p-protocol', tag = 'pb') {
  const logRecords = [];
  for (let i = 0; i < records; i++) {
    const record = Buffer.concat([fixed64(1, kNowNanos + BigInt(i)), field(5, stringValue(`${tag} ${i}`))]);
    logRecords.push(field(2, record));
  }
  const scopeLogs = field(2, Buffer.concat(logRecords));
  const resource = field(1, keyValue('service.name', service));
  return field(1, Buffer.concat([resource, scopeLogs]));
}
function logsJson(records, extra = []) {
  const logRecords = [];
  for (let i = 0; i < records; i++) {
    logRecords.push({ timeUnixNano: String(kNowNanos + BigInt(i)), body: { stringValue: `json ${i}` } });
  }
  return JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'o2p-protocol' } }] },
      scopeLogs: [{ logRecords: logRecords.concat(extra) }],
    }],
  });
}

// --- HTTP ---

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(base, { method = 'POST', path = '/v1/logs', headers = {}, body, chunks }) {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = http.request(url, { method, headers, agent }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(parts), socket: res.socket }));
    });
    req.on('error', reject);
    if (chunks) {
      for (const c of chunks) req.write(c);  // no Content-Length: Transfer-Encoding: chunked
      req.end();
    } else {
      req.end(body);
    }
  });
}

// A raw socket, for requests Node's client would not send (a huge declared length).
function rawRequest(base, text) {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(text));
    const parts = [];
    socket.on('data', (c) => parts.push(c));
    socket.on('end', () => resolve(Buffer.concat(parts).toString('latin1')));
    socket.on('error', reject);
    socket.setTimeout(10000, () => { socket.destroy(); reject(new Error('raw request timed out')); });
  });
}

const kProto = { 'Content-Type': 'application/x-protobuf' };
const kJson = { 'Content-Type': 'application/json' };

async function openChecks(base) {
  let r = await request(base, { headers: kProto, body: logsProto(5) });
  check(r.status === 200 && r.headers['content-type'] === 'application/x-protobuf' && r.body.length === 0,
    `protobuf export: ${r.status} ${r.headers['content-type']} ${r.body.length}`);
  accepted += 5;
  const firstSocket = r.socket;

  r = await request(base, { headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: logsJson(3) });
  check(r.status === 200 && r.body.toString() === '{}', `json export: ${r.status} ${r.body}`);
  check(r.socket === firstSocket, 'keep-alive: the second request reused the connection');
  accepted += 3;

  r = await request(base, { headers: { 'Content-Type': 'application/x-ndjson' },
    body: `${logsJson(1)}\n\n${logsJson(2)}\n` });
  check(r.status === 200, `json lines export: ${r.status} ${r.body}`);
  accepted += 3;

  r = await request(base, { headers: kJson, body: logsJson(2, [{ timeUnixNano: '1', spanId: 'zz' }]) });
  const partial = r.status === 200 ? JSON.parse(r.body.toString()) : {};
  check(r.status === 200 && partial.partialSuccess && String(partial.partialSuccess.rejectedLogRecords) === '1'
    && /span/i.test(partial.partialSuccess.errorMessage), `partial success: ${r.status} ${r.body}`);
  accepted += 2;

  r = await request(base, { headers: kJson, body: logsJson(0, [{ traceId: 'abc' }]) });
  check(r.status === 400 && /rejected/.test(JSON.parse(r.body.toString()).message),
    `all rejected -> 400: ${r.status} ${r.body}`);

  r = await request(base, { headers: kJson, body: '{"resourceLogs": [' });
  const status = r.status === 400 ? JSON.parse(r.body.toString()) : {};
  check(r.status === 400 && status.code === 3 && /json/.test(status.message),
    `malformed json -> 400 google.rpc.Status: ${r.status} ${r.body}`);

  r = await request(base, { headers: kProto, body: Buffer.from([0x0a, 0xff, 0xff, 0x01]) });
  check(r.status === 400 && r.headers['content-type'] === 'application/x-protobuf' && r.body.length > 0,
    `malformed protobuf -> 400 protobuf Status: ${r.status} ${r.headers['content-type']}`);

  r = await request(base, { headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
  check(r.status === 415, `unsupported content type -> 415: ${r.status}`);
  r = await request(base, { headers: { ...kProto, 'Content-Encoding': 'br' }, body: logsProto(1) });
  check(r.status === 415, `unsupported content encoding -> 415: ${r.status}`);

  r = await request(base, { headers: { ...kProto, 'Content-Encoding': 'gzip' }, body: zlib.gzipSync(logsProto(4)) });
  check(r.status === 200, `gzip body: ${r.status} ${r.body}`);
  accepted += 4;
  r = await request(base, { headers: { ...kProto, 'Content-Encoding': 'deflate' }, body: zlib.deflateSync(logsProto(2)) });
  check(r.status === 200, `deflate body: ${r.status} ${r.body}`);
  accepted += 2;
  r = await request(base, { headers: { ...kProto, 'Content-Encoding': 'gzip, deflate' },
    body: zlib.deflateSync(zlib.gzipSync(logsProto(1))) });
  check(r.status === 200, `two codings in sequence: ${r.status} ${r.body}`);
  accepted += 1;

  const bomb = zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });
  r = await request(base, { headers: { ...kProto, 'Content-Encoding': 'gzip' }, body: bomb });
  check(r.status === 413, `decompression bomb (${bomb.length} bytes) -> 413: ${r.status}`);

  const body = logsProto(6);
  r = await request(base, { headers: kProto, chunks: [body.subarray(0, 7), body.subarray(7, 20), body.subarray(20)] });
  check(r.status === 200, `chunked body: ${r.status} ${r.body}`);
  accepted += 6;

  const big = await rawRequest(base,
    'POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n' +
    `Content-Length: ${64 * 1024 * 1024}\r\n\r\n`);
  check(/^HTTP\/1\.1 413/.test(big), `declared body over the limit -> 413: ${big.split('\r\n')[0]}`);

  r = await request(base, { method: 'GET', path: '/v1/logs' });
  check(r.status === 405 && /POST/.test(r.headers.allow || ''), `GET /v1/logs -> 405 + Allow: ${r.status} ${r.headers.allow}`);
  r = await request(base, { path: '/v1/unknown', headers: kProto, body: logsProto(1) });
  check(r.status === 404, `unknown path -> 404: ${r.status}`);
  r = await request(base, { method: 'GET', path: '/health' });
  check(r.status === 200 && r.body.toString() === 'Healthy', `health: ${r.status} ${r.body}`);
  r = await request(base, { method: 'GET', path: '/ready' });
  check(r.status === 200, `ready: ${r.status} ${r.body}`);
  r = await request(base, { method: 'GET', path: '/metrics' });
  const text = r.body.toString();
  for (const name of ['otlp2parquet_requests_total', 'otlp2parquet_records_total',
    'otlp2parquet_rejected_records_total', 'otlp2parquet_request_bytes_total',
    'otlp2parquet_buffered_bytes', 'otlp2parquet_http_request_duration_seconds_bucket']) {
    check(r.status === 200 && text.includes(name), `/metrics has ${name}`);
  }
}

async function tokenChecks(base) {
  let r = await request(base, { headers: kProto, body: logsProto(1) });
  check(r.status === 401, `no token -> 401: ${r.status}`);
  r = await request(base, { headers: { ...kProto, Authorization: 'Bearer wrong' }, body: logsProto(1) });
  check(r.status === 401, `wrong token -> 401: ${r.status}`);
  r = await request(base, { headers: { ...kProto, Authorization: 'Bearer s3cret' }, body: logsProto(1) });
  check(r.status === 200, `right token -> 200: ${r.status}`);
  r = await request(base, { method: 'GET', path: '/health' });
  check(r.status === 200, `health needs no token: ${r.status}`);
}

async function overloadChecks(base) {
  // Files cannot be written, so rows stay held until the 1 MiB budget is used up; from then on
  // requests must get 503 + Retry-After (never 500), and the server must keep answering.
  const statuses = new Map();
  for (let i = 0; i < 80; i++) {
    const r = await request(base, { headers: kProto, body: logsProto(200, `svc-${i}`) });
    statuses.set(r.status, (statuses.get(r.status) || 0) + 1);
    if (r.status === 503) {
      check(Number(r.headers['retry-after']) >= 1, `503 carries Retry-After: ${r.headers['retry-after']}`);
    }
    check(r.status === 200 || r.status === 503, `overload answers 200 or 503, got ${r.status}`);
  }
  check((statuses.get(503) || 0) > 0, `some requests were refused: ${JSON.stringify([...statuses])}`);
  check((statuses.get(200) || 0) > 0, `some requests were accepted first: ${JSON.stringify([...statuses])}`);
  let r = await request(base, { method: 'GET', path: '/health' });
  check(r.status === 200, 'still healthy (alive) after the burst');
  r = await request(base, { method: 'GET', path: '/ready' });
  check(r.status === 503, `not ready while storage fails: ${r.status} ${r.body}`);
}

async function main() {
  const [base, mode] = process.argv.slice(2);
  if (mode === 'open') await openChecks(base);
  else if (mode === 'token') await tokenChecks(base);
  else if (mode === 'overload') await overloadChecks(base);
  else throw new Error(`unknown mode ${mode}`);
  agent.destroy();
  if (failures > 0) {
    console.error(`serve_protocol ${mode}: ${failures} check(s) failed`);
    process.exit(1);
  }
  console.log(`accepted=${accepted}`);
}

const watchdog = setTimeout(() => { console.error('serve_protocol: timed out'); process.exit(1); }, 60000);
main().then(() => clearTimeout(watchdog), (e) => { console.error(e.stack || String(e)); process.exit(1); });
