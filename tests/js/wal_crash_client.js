#!/usr/bin/env node
// Load and checks for the write-ahead-log tests (tests/integration/wal_crash_test.sh and
// wal_recovery_test.sh) against a running `otlp2parquet serve`. Node core only, except verify,
// which reads the Parquet files with DuckDB (@duckdb/node-api in tests/js/node_modules).
//
//   node wal_crash_client.js send   <http-base> <acked-file> <first-id> <duration-ms> <concurrency>
//   node wal_crash_client.js fill   <http-base> <acked-file> <first-id>
//   node wal_crash_client.js ready  <http-base> <timeout-ms>
//   node wal_crash_client.js verify <data-dir> <acked-file> [rounds-file]
//
// Every log record carries a unique numbered id, in its body ("rec-<id>", optionally followed
// by " <padding>") and in the attribute rec.id; requests carry kRecordsPerRequest consecutive
// ids, ids are never reused, and a request is never retried (a retry would be a duplicate).
//
// send: OTLP/JSON log exports with <concurrency> requests in flight over keep-alive, as fast as
//   the server answers, until <duration-ms> passes or a connection fails (the server was
//   killed): both end quietly. After every 200 the line "<first> <last>" is appended to
//   <acked-file>, after every 503 to <acked-file>.refused. 503 is expected (the server replays
//   or is full); any other status, a partial_success rejection or a request hanging 15 s fails
//   (exit 1). Prints the next unused id on stdout (every id below it may have been sent) and a
//   summary on stderr.
// fill: for a server whose WAL directory is a tiny file system: sends large requests with
//   incompressible bodies until the WAL is full, which must answer 503 + Retry-After (never
//   500, never a hang) with GET /ready 503 meanwhile; then stops and expects small requests to
//   succeed again within 30 s and /ready 200. Acked ids go to <acked-file> as with send; prints
//   the next unused id.
// ready: polls GET /ready until it answers 200 (exit 0) or <timeout-ms> passes (exit 1).
// verify: reads rec.id of every log row of service kService under <data-dir>/logs and checks
//   that every acked id is there exactly once and that no id is there twice (replay must not
//   duplicate even records that were never acknowledged). Not-acked ids may be present once.
//   With a rounds file (lines "<round> <first-id> <next-id>"), offending ids name their round.
//   Ids of requests answered 503 (<acked-file>.refused) that are in the files are counted and
//   reported as a warning (an OTLP client retries a 503, so each is a duplicate in practice);
//   with O2P_VERIFY_STRICT_REFUSED=1 they fail verify.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');

const kService = 'o2p-wal-crash';
const kRecordsPerRequest = 50;
const kRequestTimeoutMs = 15000;
const kShowIds = 10;

function fail(message) {
  console.error(`wal_crash_client: FAIL: ${message}`);
  process.exit(1);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseInteger(text, name) {
  if (!/^[0-9]+$/.test(String(text))) fail(`${name} must be a non-negative integer, got '${text}'`);
  return Number(text);
}

// One OTLP/JSON ExportLogsServiceRequest with `count` records, ids first .. first+count-1.
function logsBody(first, count, padding = '') {
  const nowNanos = BigInt(Date.now()) * 1000000n;
  const records = [];
  for (let i = 0; i < count; i++) {
    const id = first + i;
    records.push({
      timeUnixNano: String(nowNanos + BigInt(i)),
      severityNumber: 9,
      severityText: 'INFO',
      body: { stringValue: padding ? `rec-${id} ${padding}` : `rec-${id}` },
      attributes: [{ key: 'rec.id', value: { stringValue: String(id) } }],
    });
  }
  return JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: kService } }] },
      scopeLogs: [{ scope: { name: 'o2p.wal.crash' }, logRecords: records }],
    }],
  });
}

// Resolves {status, headers, body} or rejects with the socket error; a request that gets no
// complete answer within kRequestTimeoutMs rejects with code 'TIMEOUT'.
function request(agent, base, method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const headers = {};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = http.request(new URL(urlPath, base), { method, headers, agent }, (res) => {
      const parts = [];
      res.on('data', (chunk) => parts.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode, headers: res.headers, body: Buffer.concat(parts).toString('utf8'),
      }));
      // The status line arrived: the server decided. A body cut off after it still counts.
      res.on('aborted', () => resolve({ status: res.statusCode, headers: res.headers, body: '' }));
      res.on('error', () => resolve({ status: res.statusCode, headers: res.headers, body: '' }));
    });
    req.setTimeout(kRequestTimeoutMs, () => {
      const error = new Error(`no answer within ${kRequestTimeoutMs} ms`);
      error.code = 'TIMEOUT';
      req.destroy(error);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// A 200 whose JSON body reports rejected records would mean our records are invalid.
function rejectedRecords(response) {
  if (!response.body) return 0;
  try {
    const parsed = JSON.parse(response.body);
    const partial = parsed.partialSuccess || parsed.partial_success;
    return partial ? Number(partial.rejectedLogRecords || partial.rejected_log_records || 0) : 0;
  } catch {
    return 0;
  }
}

function count(map, key) {
  map[key] = (map[key] || 0) + 1;
}

// ---------------------------------------------------------------------------------------------

async function send(base, ackedFile, firstIdText, durationText, concurrencyText) {
  let nextId = parseInteger(firstIdText, 'first-id');
  const duration = parseInteger(durationText, 'duration-ms');
  const concurrency = parseInteger(concurrencyText, 'concurrency');
  if (concurrency < 1) fail('concurrency must be at least 1');
  const deadline = Date.now() + duration;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = {};
  const errors = {};
  let acked = 0;
  let stopReason = null;
  let problem = null;

  async function worker() {
    while (!stopReason) {
      if (Date.now() >= deadline) {
        stopReason = stopReason || 'duration elapsed';
        return;
      }
      const first = nextId;
      nextId += kRecordsPerRequest;
      const last = first + kRecordsPerRequest - 1;
      let response;
      try {
        response = await request(agent, base, 'POST', '/v1/logs', logsBody(first, kRecordsPerRequest));
      } catch (error) {
        const code = error.code || error.message;
        count(errors, code);
        if (code === 'TIMEOUT') {
          problem = problem || `request for ids ${first}..${last} hung: ${error.message}`;
        }
        stopReason = stopReason || `connection error ${code}`;
        return;
      }
      count(statuses, response.status);
      if (response.status === 200) {
        const rejected = rejectedRecords(response);
        if (rejected > 0) {
          problem = problem || `ids ${first}..${last}: 200 with ${rejected} rejected: ${response.body}`;
          stopReason = 'rejected records';
          return;
        }
        fs.appendFileSync(ackedFile, `${first} ${last}\n`);
        acked += kRecordsPerRequest;
      } else if (response.status === 503) {
        fs.appendFileSync(`${ackedFile}.refused`, `${first} ${last}\n`);
        await sleep(50);
      } else {
        problem = problem ||
          `ids ${first}..${last}: HTTP ${response.status} (only 200 or 503 are allowed): ${response.body.slice(0, 300)}`;
        stopReason = `HTTP ${response.status}`;
        return;
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  process.stdout.write(`${nextId}\n`);
  console.error(`wal_crash_client: send: ids ${firstIdText}..${nextId - 1}, acked ${acked} records, ` +
    `statuses ${JSON.stringify(statuses)}, errors ${JSON.stringify(errors)}, stopped: ${stopReason}`);
  if (problem) fail(`send: ${problem}`);
}

// ---------------------------------------------------------------------------------------------

async function fill(base, ackedFile, firstIdText) {
  let nextId = parseInteger(firstIdText, 'first-id');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const statuses = {};
  let acked = 0;
  let acceptedBytes = 0;
  let refused = 0;
  const readyWhileFull = {};
  let problem = null;

  async function post(padBytes) {
    const first = nextId;
    nextId += kRecordsPerRequest;
    // Base64 of random bytes: compression in the WAL cannot shrink it much.
    const padding = padBytes ? crypto.randomBytes(Math.ceil(padBytes * 3 / 4)).toString('base64') : '';
    const body = logsBody(first, kRecordsPerRequest, padding);
    let response;
    try {
      response = await request(agent, base, 'POST', '/v1/logs', body);
    } catch (error) {
      problem = problem || `request for ids ${first}..${first + kRecordsPerRequest - 1}: ${error.message}`;
      return { status: 0 };
    }
    count(statuses, response.status);
    if (response.status === 200) {
      fs.appendFileSync(ackedFile, `${first} ${first + kRecordsPerRequest - 1}\n`);
      acked += kRecordsPerRequest;
      acceptedBytes += body.length;
    } else if (response.status === 503) {
      fs.appendFileSync(`${ackedFile}.refused`, `${first} ${first + kRecordsPerRequest - 1}\n`);
      const retryAfter = response.headers['retry-after'];
      if (!(Number(retryAfter) >= 1)) problem = problem || `503 without a valid Retry-After (${retryAfter})`;
    } else {
      problem = problem || `HTTP ${response.status} (only 200 or 503 are allowed): ${response.body.slice(0, 300)}`;
    }
    return response;
  }

  // 1. Large requests (50 records of ~5 KiB each: ~256 KiB) until the WAL refuses some.
  const fillDeadline = Date.now() + 20000;
  let full = false;
  async function filler() {
    while (!problem && Date.now() < fillDeadline && refused < 20) {
      const response = await post(5000);
      if (response.status === 503) {
        refused += 1;
        full = true;
        try {
          const ready = await request(agent, base, 'GET', '/ready');
          count(readyWhileFull, ready.status);
        } catch (error) {
          problem = problem || `GET /ready: ${error.message}`;
        }
      }
    }
  }
  await Promise.all(Array.from({ length: 4 }, filler));
  if (problem) fail(`fill: ${problem} (statuses ${JSON.stringify(statuses)})`);
  if (!full) {
    fail(`fill: no 503 within 20 s: ${acked} records (${(acceptedBytes / 1048576).toFixed(1)} MiB ` +
      `of JSON) accepted; statuses ${JSON.stringify(statuses)}`);
  }
  if (!readyWhileFull[503]) {
    fail(`fill: GET /ready never answered 503 right after a 503 for a full WAL: ${JSON.stringify(readyWhileFull)}`);
  }
  console.error(`wal_crash_client: fill: WAL full after ${(acceptedBytes / 1048576).toFixed(1)} MiB of JSON; ` +
    `statuses ${JSON.stringify(statuses)}, /ready meanwhile ${JSON.stringify(readyWhileFull)}`);

  // 2. Space must come back (rows reach files, segments are deleted): small requests succeed.
  const recoverStart = Date.now();
  let successes = 0;
  while (successes < 5) {
    if (Date.now() - recoverStart > 30000) {
      fail(`fill: requests did not succeed again within 30 s after the WAL was full (statuses ${JSON.stringify(statuses)})`);
    }
    const response = await post(0);
    if (problem) fail(`fill: ${problem}`);
    if (response.status === 200) successes += 1;
    else await sleep(250);
  }
  const recoveredMs = Date.now() - recoverStart;
  let ready = null;
  while (Date.now() - recoverStart < 40000) {
    try {
      ready = await request(agent, base, 'GET', '/ready');
    } catch (error) {
      fail(`fill: GET /ready: ${error.message}`);
    }
    if (ready.status === 200) break;
    await sleep(250);
  }
  if (!ready || ready.status !== 200) fail(`fill: /ready answers ${ready && ready.status} after requests succeed again`);
  agent.destroy();
  process.stdout.write(`${nextId}\n`);
  console.error(`wal_crash_client: fill: requests succeed again after ${recoveredMs} ms, /ready 200; ` +
    `acked ${acked} records, statuses ${JSON.stringify(statuses)}`);
}

// ---------------------------------------------------------------------------------------------

async function ready(base, timeoutText) {
  const deadline = Date.now() + parseInteger(timeoutText, 'timeout-ms');
  const agent = new http.Agent({ keepAlive: false });
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await request(agent, base, 'GET', '/ready');
      if (response.status === 200) return;
      last = `HTTP ${response.status} ${response.body.slice(0, 200)}`;
    } catch (error) {
      last = error.code || error.message;
    }
    await sleep(100);
  }
  fail(`ready: GET ${base}/ready did not answer 200 within ${timeoutText} ms (last: ${last})`);
}

// ---------------------------------------------------------------------------------------------

// Acked ranges, sorted and merged; an id acked twice is a bug of the caller (ids reused).
function readAcked(ackedFile) {
  const ranges = [];
  const text = fs.existsSync(ackedFile) ? fs.readFileSync(ackedFile, 'utf8') : '';
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (!match) fail(`verify: bad line in ${ackedFile}: '${line}'`);
    const first = Number(match[1]);
    const last = Number(match[2]);
    if (last < first) fail(`verify: bad range in ${ackedFile}: '${line}'`);
    ranges.push([first, last]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  let total = 0;
  for (const [first, last] of ranges) {
    total += last - first + 1;
    const top = merged[merged.length - 1];
    if (top && first <= top[1]) fail(`verify: ${ackedFile} acks ids ${first}..${Math.min(last, top[1])} twice (ids reused)`);
    if (top && first === top[1] + 1) top[1] = last;
    else merged.push([first, last]);
  }
  return { merged, total };
}

function readRounds(roundsFile) {
  if (!roundsFile) return [];
  return fs.readFileSync(roundsFile, 'utf8').split('\n').filter((l) => l.trim()).map((line) => {
    const [round, first, next] = line.trim().split(/\s+/);
    return { round, first: Number(first), next: Number(next) };
  });
}

function roundOf(id, rounds) {
  const round = rounds.find((r) => id >= r.first && id < r.next);
  return round ? `round ${round.round}` : null;
}

// rows: {first, last, n[, times]} runs of consecutive ids -> "a..b (n ids, round r)".
function describeRuns(rows, rounds) {
  return rows.map((row) => {
    const first = Number(row.first);
    const last = Number(row.last);
    const notes = [];
    if (first !== last) notes.push(`${row.n} ids`);
    if (row.times !== undefined) notes.push(first === last ? `${row.times} times` : `${row.times} times each`);
    const where = roundOf(first, rounds);
    if (where) notes.push(where);
    return `${first === last ? first : `${first}..${last}`} (${notes.join(', ')})`;
  }).join(', ');
}

// Runs of consecutive ids (gaps and islands) of the ids the query selects, first kShowIds.
function runsSql(idsSql, extra = '') {
  return `SELECT min(id) AS first, max(id) AS last, count(*) AS n${extra}
            FROM (SELECT *, id - row_number() OVER (ORDER BY id) AS island FROM (${idsSql}))
           GROUP BY island${extra ? ', times' : ''} ORDER BY first LIMIT ${kShowIds}`;
}

function parquetFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith('.parquet') && !path.basename(name).startsWith('.'));
}

async function verify(dataDir, ackedFile, roundsFile) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const logsDir = path.join(path.resolve(dataDir), 'logs');
  const { merged, total: acked } = readAcked(ackedFile);
  const rounds = readRounds(roundsFile);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const run = (sql) => connection.run(sql);
  const rows = async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson();

  const files = parquetFiles(logsDir);
  if (files.length > 0) {
    const glob = `${logsDir.replaceAll("'", "''")}/**/*.parquet`;
    await run(`CREATE TABLE recs AS
      SELECT TRY_CAST(LogAttributes['rec.id'] AS BIGINT) AS id, Body
        FROM read_parquet('${glob}', hive_partitioning = false)
       WHERE ServiceName = '${kService}'`);
  } else {
    await run('CREATE TABLE recs (id BIGINT, Body VARCHAR)');
  }
  await run('CREATE TABLE acked (first BIGINT, last BIGINT)');
  for (let i = 0; i < merged.length; i += 1000) {
    const values = merged.slice(i, i + 1000).map(([f, l]) => `(${f}, ${l})`).join(', ');
    await run(`INSERT INTO acked VALUES ${values}`);
  }
  await run('CREATE TABLE acked_ids AS SELECT unnest(range(first, last + 1)) AS id FROM acked');
  const refusedFile = `${ackedFile}.refused`;
  const { merged: refusedRanges, total: refused } = readAcked(refusedFile);
  await run('CREATE TABLE refused (first BIGINT, last BIGINT)');
  for (let i = 0; i < refusedRanges.length; i += 1000) {
    const values = refusedRanges.slice(i, i + 1000).map(([f, l]) => `(${f}, ${l})`).join(', ');
    await run(`INSERT INTO refused VALUES ${values}`);
  }
  await run('CREATE TABLE refused_ids AS SELECT unnest(range(first, last + 1)) AS id FROM refused');
  await run('CREATE TABLE counts AS SELECT id, count(*) AS n FROM recs WHERE id IS NOT NULL GROUP BY id');

  const one = async (sql) => Number(Object.values((await rows(sql))[0])[0]);
  const inFiles = await one('SELECT count(*) FROM recs');
  const distinct = await one('SELECT count(*) FROM counts');
  const badRows = await one(`SELECT count(*) FROM recs WHERE id IS NULL OR split_part(Body, ' ', 1) <> 'rec-' || id`);
  const missing = await one('SELECT count(*) FROM acked_ids a ANTI JOIN counts c USING (id)');
  const duplicates = await one('SELECT count(*) FROM counts WHERE n > 1');
  const extra = await one('SELECT count(*) FROM counts c ANTI JOIN acked_ids a USING (id)');
  const refusedStored = await one('SELECT count(*) FROM refused_ids r SEMI JOIN counts c USING (id)');

  console.log(`wal_crash_client: verify: acked=${acked} rows_in_files=${inFiles} distinct_ids=${distinct} ` +
    `extra_not_acked=${extra} missing_acked=${missing} duplicated_ids=${duplicates} bad_rows=${badRows} ` +
    `files=${files.length} refused_503=${refused} refused_503_in_files=${refusedStored}`);
  const problems = [];
  if (refusedStored > 0) {
    const runs = await rows(runsSql('SELECT r.id FROM refused_ids r SEMI JOIN counts c USING (id)'));
    const text = `${refusedStored} ids of requests answered 503 are in the files (an OTLP client ` +
      `retries a 503: each would be a duplicate): ${describeRuns(runs, rounds)}` +
      (runs.length === kShowIds ? ', ...' : '');
    if (process.env.O2P_VERIFY_STRICT_REFUSED === '1') problems.push(text);
    else console.log(`wal_crash_client: verify: WARNING: ${text}`);
  }
  if (missing > 0) {
    const runs = await rows(runsSql('SELECT a.id FROM acked_ids a ANTI JOIN counts c USING (id)'));
    problems.push(`${missing} acknowledged ids are missing from the files: ${describeRuns(runs, rounds)}` +
      (runs.length === kShowIds ? ', ...' : ''));
  }
  if (duplicates > 0) {
    const runs = await rows(runsSql('SELECT id, n AS times FROM counts WHERE n > 1', ', times'));
    problems.push(`${duplicates} ids are in the files more than once: ${describeRuns(runs, rounds)}` +
      (runs.length === kShowIds ? ', ...' : ''));
  }
  if (badRows > 0) {
    const sample = await rows(`SELECT id, left(Body, 40) AS body FROM recs
      WHERE id IS NULL OR split_part(Body, ' ', 1) <> 'rec-' || id LIMIT ${kShowIds}`);
    problems.push(`${badRows} rows whose rec.id and body do not match: ${JSON.stringify(sample)}`);
  }
  if (problems.length > 0) fail(`verify: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'send' && args.length === 5) return send(...args);
  if (mode === 'fill' && args.length === 3) return fill(...args);
  if (mode === 'ready' && args.length === 2) return ready(...args);
  if (mode === 'verify' && (args.length === 2 || args.length === 3)) return verify(...args);
  console.error('usage: wal_crash_client.js send <http-base> <acked-file> <first-id> <duration-ms> <concurrency>\n' +
    '       wal_crash_client.js fill <http-base> <acked-file> <first-id>\n' +
    '       wal_crash_client.js ready <http-base> <timeout-ms>\n' +
    '       wal_crash_client.js verify <data-dir> <acked-file> [rounds-file]');
  process.exit(2);
}

main().then(
  () => process.exit(0),
  (error) => fail(error.stack || String(error)),
);
