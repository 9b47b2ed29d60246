// Load benchmark, DuckDB side: converts OTLP/JSON logs (one ExportLogsServiceRequest per line,
// as written by o2p_gen_otlp_logs) to one zstd Parquet file with one row per log record, the way
// a user would do it with DuckDB alone: read_json, unnest resourceLogs -> scopeLogs ->
// logRecords, then COPY ... (FORMAT parquet, COMPRESSION zstd).
//
//   node bench/load/duckdb_convert.mjs IN.jsonl OUT.parquet [THREADS]
//
// THREADS is DuckDB's `threads` setting (default: DuckDB's own default, one per core). Prints
// one JSON line: threads, seconds (the COPY statement alone; excludes node start-up and
// opening the in-memory database), cpu_seconds (user + system of the whole process during the
// COPY), records (counted in the output file), records_per_s, output_bytes.
// @duckdb/node-api is resolved from tests/js/node_modules (tools/setup.sh runs npm ci there).
import { createRequire } from 'node:module';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'tests', 'js', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [input, output, threadsArg] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node duckdb_convert.mjs IN.jsonl OUT.parquet [THREADS]');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;

// read_json's maximum_object_size must hold the longest line, but it is also the size of the
// buffers the reader allocates: 1 GiB made the 1M-record run 3x slower and 3x larger in memory
// than the 16 MiB default. So it is the default, or the next power of two above the longest line.
function longestLine(file) {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 24);
  let longest = 0;
  let current = 0;
  for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
    for (let at = 0; at < n;) {
      const nl = buffer.indexOf(10, at);
      if (nl < 0 || nl >= n) {
        current += n - at;
        break;
      }
      longest = Math.max(longest, current + nl - at);
      current = 0;
      at = nl + 1;
    }
  }
  closeSync(fd);
  return Math.max(longest, current);
}
const longest = longestLine(input);
let maxObjectSize = 1 << 24;
while (maxObjectSize <= longest) maxObjectSize *= 2;

// OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): 64-bit integers
// are strings, ids are hex, attributes are [{key, value: AnyValue}]. Explicit types keep
// read_json from sampling and guessing; only the AnyValue kinds the generator emits are listed.
const anyValue = 'STRUCT(stringValue VARCHAR, intValue VARCHAR, doubleValue DOUBLE, boolValue BOOLEAN)';
const attributes = `STRUCT("key" VARCHAR, "value" ${anyValue})[]`;
const logRecord = `STRUCT(timeUnixNano VARCHAR, observedTimeUnixNano VARCHAR, severityNumber INTEGER,
  severityText VARCHAR, body ${anyValue}, attributes ${attributes}, flags INTEGER, traceId VARCHAR,
  spanId VARCHAR, eventName VARCHAR, droppedAttributesCount INTEGER)`;
const resourceLogs = `STRUCT(resource STRUCT(attributes ${attributes}), schemaUrl VARCHAR,
  scopeLogs STRUCT(scope STRUCT(name VARCHAR, version VARCHAR, attributes ${attributes}),
  schemaUrl VARCHAR, logRecords ${logRecord}[])[])[]`;

// AnyValue -> text, as our converter stores attribute values (schema.md "Attribute values").
const valueText = (v) => `coalesce(${v}.stringValue, ${v}.intValue, CAST(${v}.doubleValue AS VARCHAR),
  CAST(${v}.boolValue AS VARCHAR))`;
const attributeMap = (list) => `map_from_entries(list_transform(coalesce(${list}, []),
  a -> {'k': a."key", 'v': ${valueText('a."value"')}}))`;
const micros = (nanos) => `make_timestamptz(CAST(CAST(${nanos} AS UBIGINT) // 1000 AS BIGINT))`;

const sql = `
COPY (
  WITH rl AS (
    SELECT unnest(resourceLogs) AS rl
    FROM read_json(${quote(input)}, format = 'newline_delimited', maximum_object_size = ${maxObjectSize},
                   columns = {resourceLogs: '${resourceLogs}'})
  ), sl AS (
    SELECT rl.resource AS resource, rl.schemaUrl AS resource_schema_url, unnest(rl.scopeLogs) AS sl
    FROM rl
  ), lr AS (
    SELECT resource, resource_schema_url, sl.scope AS scope, sl.schemaUrl AS scope_schema_url,
           unnest(sl.logRecords) AS r
    FROM sl
  ), typed AS (
    SELECT ${attributeMap('resource.attributes')} AS ResourceAttributes, *
    FROM lr
  )
  SELECT
    ${micros("coalesce(nullif(r.timeUnixNano, '0'), r.observedTimeUnixNano)")} AS "Timestamp",
    coalesce(ResourceAttributes['service.name'], '') AS ServiceName,
    ResourceAttributes['service.namespace'] AS ServiceNamespace,
    ResourceAttributes['service.instance.id'] AS ServiceInstanceId,
    ResourceAttributes,
    coalesce(resource_schema_url, '') AS ResourceSchemaUrl,
    coalesce(scope.name, '') AS ScopeName,
    coalesce(scope.version, '') AS ScopeVersion,
    ${attributeMap('scope.attributes')} AS ScopeAttributes,
    coalesce(scope_schema_url, '') AS ScopeSchemaUrl,
    ${micros('r.observedTimeUnixNano')} AS ObservedTimestamp,
    coalesce(lower(r.traceId), '') AS TraceId,
    coalesce(lower(r.spanId), '') AS SpanId,
    coalesce(r.flags, 0) AS TraceFlags,
    coalesce(r.severityText, '') AS SeverityText,
    coalesce(r.severityNumber, 0) AS SeverityNumber,
    ${valueText('r.body')} AS Body,
    coalesce(r.eventName, '') AS EventName,
    ${attributeMap('r.attributes')} AS LogAttributes,
    coalesce(r.droppedAttributesCount, 0) AS DroppedAttributesCount
  FROM typed
) TO ${quote(output)} (FORMAT parquet, COMPRESSION zstd)`;

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (threadsArg) await connection.run(`SET threads = ${Number.parseInt(threadsArg, 10)}`);
const threads = (await connection.runAndReadAll("SELECT current_setting('threads') AS t"))
  .getRowObjectsJson()[0].t;

const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
await connection.run(sql);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);

const count = (await connection.runAndReadAll(`SELECT count(*) AS n FROM read_parquet(${quote(output)})`))
  .getRowObjectsJson()[0].n;
const records = Number(count);
console.log(JSON.stringify({
  engine: 'duckdb',
  threads: Number(threads),
  seconds: Number(seconds.toFixed(3)),
  cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
  records,
  records_per_s: Math.round(records / seconds),
  output_bytes: statSync(output).size,
  maximum_object_size: maxObjectSize,
}));
