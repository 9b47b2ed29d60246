// Reads an Iceberg table's current snapshot with icebird (an Iceberg reader we did not write,
// built on hyparquet) and prints what it saw as ONE JSON line, for the end-to-end tests.
//
// Usage: node iceberg_read.mjs [--rows] [--expect-records N] [--s3-endpoint URL] METADATA
//   METADATA          the table metadata JSON: a path, a file:// URI, or (with --s3-endpoint) an
//                     s3:// URI
//   --rows            also print the rows
//   --expect-records  exit 1 unless the snapshot has exactly N records
//   --s3-endpoint URL an S3 endpoint (e.g. moto_server) for s3:// locations: path-style
//                     requests, SigV4-signed when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
//                     are set (AWS_SESSION_TOKEN, AWS_REGION too), anonymous otherwise
//
// Output (one line):
//   {"records": N,            // rows icebird returned for the current snapshot
//    "manifest_records": N,   // sum of record_count over the live data entries icebird decoded
//    "columns": [name, ...],  // the current schema's top-level columns, in order
//    "files": K,              // live data files
//    "manifests": M,          // manifests in the current manifest list
//    "snapshot_id": "...", "sequence_number": "...",   // strings (longs); null without snapshot
//    "rows": [{column: value, ...}, ...]}             // only with --rows
// Values in rows: BigInt -> decimal string; Date -> ISO-8601 string (icebird does not let its
// caller choose hyparquet's parsers, so timestamps arrive as millisecond Dates: the microseconds
// are lost here; compare them with DuckDB instead); Uint8Array -> lower-case hex string; NaN and
// the infinities -> "NaN", "Infinity", "-Infinity"; undefined -> null; maps (hyparquet gives
// objects), structs and lists recursively.
// Exit status: 0 when read (and the counts agree), 1 when icebird fails or records differs from
// manifest_records or from --expect-records (the JSON line is still printed when there is one),
// 2 on a usage error.
//
// How local files are read. icebird 0.3.1 fetches everything through URLs: the manifest list and
// the manifests with the global fetch() (src/fetch.js fetchAvroRecords, which does not look at
// the status code), the data files with hyparquet's asyncBufferFromUrl (HTTP Range requests,
// also through the global fetch(), since icebird passes no custom one). Before fetching it
// rewrites s3:// and s3a:// to https://BUCKET.s3.amazonaws.com/KEY; every other scheme goes to
// fetch() unchanged. Its only hook is `requestInit` (headers), and Node's fetch() refuses
// file:// URLs. The paths it fetches come from inside our Avro files, so an HTTP server on
// 127.0.0.1 would not help without rewriting those files. So this script replaces
// globalThis.fetch, in this process only, with a small wrapper: file:// URLs are answered from
// the file system (GET with or without one "Range: bytes=" range -> 200/206, HEAD -> the length),
// s3:// and https://BUCKET.s3.amazonaws.com/KEY go to --s3-endpoint/BUCKET/KEY (signed) when it
// is given, and anything else is refused: a test tool never reaches the real AWS or the
// internet. A missing file, or an HTTP error status, becomes an exception that names the URL,
// instead of the "avro invalid magic bytes" icebird would report.
// The table metadata itself is read by this script (any path: the catalog's files do not have
// to be named v<N>.metadata.json next to a version-hint.text, which is all icebird can find
// on its own) and handed to icebird as `metadata`.

import { createHash, createHmac } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { icebergManifests, icebergRead } from 'icebird';

const USAGE =
  'usage: node iceberg_read.mjs [--rows] [--expect-records N] [--s3-endpoint URL] METADATA\n';

function usage(message) {
  if (message) process.stderr.write(`iceberg_read: ${message}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { rows: false, expectRecords: null, s3Endpoint: null, metadata: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rows') {
      options.rows = true;
    } else if (arg === '--expect-records') {
      const value = argv[++i];
      if (!/^\d+$/.test(value ?? '')) usage('--expect-records needs a non-negative integer');
      options.expectRecords = BigInt(value);
    } else if (arg === '--s3-endpoint') {
      const value = argv[++i];
      if (!/^https?:\/\/[^/]+/.test(value ?? '')) usage('--s3-endpoint needs an http(s) URL');
      options.s3Endpoint = value.replace(/\/+$/, '');
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}`);
    } else if (options.metadata === null) {
      options.metadata = arg;
    } else {
      usage('only one METADATA argument');
    }
  }
  if (options.metadata === null) usage('METADATA is missing');
  return options;
}

// --- fetch() for file:// (and a local S3) ------------------------------------------------------

const realFetch = globalThis.fetch;

function urlOf(input) {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;  // a Request
}

// "bytes=START-END", "bytes=START-" or "bytes=-SUFFIX" -> [start, endExclusive], or null when the
// range cannot be satisfied; undefined when there is no (single) range to honour.
function parseRange(header, size) {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Math.min(Number(match[2]), size);
    return suffix === 0 ? null : [size - suffix, size];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size : Math.min(Number(match[2]) + 1, size);
  if (start >= size || end <= start) return null;
  return [start, end];
}

async function readSlice(path, start, end) {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await handle.read(buffer, done, buffer.length - done, start + done);
      if (bytesRead === 0) throw new Error(`${path}: file shrank while being read`);
      done += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}

async function fileResponse(href, init) {
  let path;
  let info;
  try {
    path = fileURLToPath(href);
    info = await stat(path);
  } catch (e) {
    throw new Error(`iceberg_read: cannot read ${href}: ${e.code ?? e.message}`);
  }
  if (!info.isFile()) throw new Error(`iceberg_read: cannot read ${href}: not a regular file`);
  const size = info.size;
  const method = (init?.method ?? 'GET').toUpperCase();
  if (method === 'HEAD') {
    return new Response(null, { status: 200, headers: { 'Content-Length': String(size) } });
  }
  if (method !== 'GET') throw new Error(`iceberg_read: ${method} ${href} is not supported`);
  const range = parseRange(new Headers(init?.headers).get('range'), size);
  if (range === null) {
    return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  }
  if (range === undefined) {
    return new Response(await readSlice(path, 0, size), {
      status: 200,
      headers: { 'Content-Length': String(size) },
    });
  }
  const [start, end] = range;
  return new Response(await readSlice(path, start, end), {
    status: 206,
    headers: {
      'Content-Length': String(end - start),
      'Content-Range': `bytes ${start}-${end - 1}/${size}`,
    },
  });
}

// s3://BUCKET/KEY (as given by us) or https://BUCKET.s3.amazonaws.com/KEY (as icebird rewrites
// it) -> ENDPOINT/BUCKET/KEY, every key segment percent-encoded once (RFC 3986, as S3 signs
// it); null for other URLs.
function s3Rewrite(href, endpoint) {
  let match = /^s3a?:\/\/([^/]+)\/(.*)$/.exec(href);
  if (!match) match = /^https:\/\/([^/]+)\.s3\.amazonaws\.com\/(.*)$/.exec(href);
  if (!match) return null;
  const encode = (segment) => encodeURIComponent(decodeURIComponent(segment))
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${endpoint}/${encode(match[1])}/${match[2].split('/').map(encode).join('/')}`;
}

function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key, data) {
  return createHmac('sha256', key).update(data).digest();
}

// AWS Signature V4 headers for a GET/HEAD of `url` (no query, unsigned payload), from
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] and AWS_REGION (or
// AWS_DEFAULT_REGION, else us-east-1); {} without credentials (anonymous requests).
function sigv4Headers(method, url) {
  const accessKey = process.env.AWS_ACCESS_KEY_ID;
  const secret = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKey || !secret) return {};
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers = {
    host: url.host,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    'x-amz-date': amzDate,
  };
  const token = process.env.AWS_SESSION_TOKEN;
  if (token) headers['x-amz-security-token'] = token;
  const names = Object.keys(headers).sort();
  const canonical = [method, url.pathname, '', ...names.map((n) => `${n}:${headers[n]}`), '',
                     names.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${secret}`, day);
  for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  delete headers.host;  // fetch() sets it from the URL
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, ` +
                          `SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}

function installFetch(s3Endpoint) {
  globalThis.fetch = async function localFetch(input, init) {
    const href = urlOf(input);
    if (href.startsWith('file:')) return fileResponse(href, init);
    // Nothing else leaves this machine: only S3 URLs, and only to --s3-endpoint.
    const rewritten = s3Endpoint ? s3Rewrite(href, s3Endpoint) : null;
    if (rewritten === null) {
      throw new Error(`iceberg_read: cannot read ${href} (file:// URLs are read; s3:// ones ` +
                      'only with --s3-endpoint)');
    }
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(sigv4Headers(method, new URL(rewritten)))) {
      headers.set(name, value);
    }
    const response = await realFetch(rewritten, { ...init, method, headers });
    if (!response.ok) {
      throw new Error(`iceberg_read: ${method} ${rewritten}: HTTP ${response.status}`);
    }
    return response;
  };
}

// --- Output ------------------------------------------------------------------------------------

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function plain(value) {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
    case 'string':
      return value;
    default:
      break;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return hex(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const out = {};
    for (const [key, member] of Object.entries(value)) out[key] = plain(member);
    return out;
  }
  return String(value);
}

// --- Main --------------------------------------------------------------------------------------

function metadataUrl(argument, s3Endpoint) {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(argument)) {
    if (argument.startsWith('file:')) return argument;
    if (s3Endpoint && s3Rewrite(argument, s3Endpoint)) return argument;
    usage(`cannot read ${argument} (a path, a file:// URI, or s3:// with --s3-endpoint)`);
  }
  return pathToFileURL(resolve(argument)).href;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  installFetch(options.s3Endpoint);

  const url = metadataUrl(options.metadata, options.s3Endpoint);
  const text = await (await globalThis.fetch(url)).text();
  const metadata = JSON.parse(text);
  const schema = (metadata.schemas ?? []).find(
    (s) => s['schema-id'] === metadata['current-schema-id']);
  if (!schema) throw new Error(`iceberg_read: ${url}: no schema ${metadata['current-schema-id']}`);
  const out = {
    records: 0,
    manifest_records: 0,
    columns: schema.fields.map((f) => f.name),
    files: 0,
    manifests: 0,
    snapshot_id: null,
    sequence_number: null,
  };

  const currentId = metadata['current-snapshot-id'];
  let rows = [];
  if (currentId !== undefined && currentId !== null && currentId !== -1) {
    const snapshot = (metadata.snapshots ?? []).find((s) => s['snapshot-id'] === currentId);
    // Snapshot ids are 63-bit: JSON.parse (here and in icebird) rounds them to doubles, so
    // the exact digits come from the text. icebird still finds the snapshot, since it compares
    // two equally rounded numbers.
    out.snapshot_id = /"current-snapshot-id"\s*:\s*(-?\d+)/.exec(text)?.[1] ?? String(currentId);
    out.sequence_number = snapshot ? String(snapshot['sequence-number']) : null;

    // The same manifest decoding icebergRead does, kept to count files and records.
    const manifests = await icebergManifests(metadata);
    out.manifests = manifests.length;
    let manifestRecords = 0n;
    for (const { entries } of manifests) {
      for (const entry of entries) {
        if (entry.status === 2 || entry.data_file.content) continue;
        out.files += 1;
        manifestRecords += BigInt(entry.data_file.record_count);
      }
    }
    out.manifest_records = Number(manifestRecords);

    if (out.files > 0) {  // icebergRead throws on a snapshot without data files
      rows = await icebergRead({ tableUrl: metadata.location, metadata });
    }
    out.records = rows.length;
  }
  if (options.rows) out.rows = rows.map(plain);
  process.stdout.write(`${JSON.stringify(out)}\n`);

  const problems = [];
  if (out.records !== out.manifest_records) {
    problems.push(`icebird returned ${out.records} rows but the manifests count ` +
                  `${out.manifest_records} records`);
  }
  if (options.expectRecords !== null && BigInt(out.records) !== options.expectRecords) {
    problems.push(`expected ${options.expectRecords} records, read ${out.records}`);
  }
  for (const problem of problems) process.stderr.write(`iceberg_read: ${problem}\n`);
  return problems.length === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (e) {
  // Our own errors name the file or URL; anything else (icebird, hyparquet) with its stack.
  const text = String(e?.message ?? e);
  process.stderr.write(text.startsWith('iceberg_read: ') ? `${text}\n`
                                                         : `iceberg_read: ${e?.stack ?? e}\n`);
  process.exitCode = 1;
}
