#!/usr/bin/env node
// Real OpenTelemetry JS exporters against a running `otlp2parquet serve`, for
// tests/integration/serve_test.sh.
//
//   node tests/js/serve_clients.js send   <http-base-url> <grpc-url> <expect.json>
//   node tests/js/serve_clients.js verify <data-dir> <expect.json>
//
// send: for every (signal, transport) pair — logs, traces, metrics over http/protobuf,
// http/json and gRPC — creates telemetry with the SDK under its own service name, exports it
// with the matching exporter package and fails unless every export succeeded. It writes what a
// reader must find into expect.json.
// verify: reads the Parquet files under <data-dir> with DuckDB and checks, per service, the row
// count of every table and the values of every record (bodies, span names, metric values,
// attributes, ids).
'use strict';

const fs = require('fs');
const path = require('path');

const api = require('@opentelemetry/api');
const { SeverityNumber } = require('@opentelemetry/api-logs');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { LoggerProvider, SimpleLogRecordProcessor, InMemoryLogRecordExporter } =
  require('@opentelemetry/sdk-logs');
const { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } =
  require('@opentelemetry/sdk-trace-base');
const { MeterProvider, MetricReader, AggregationType, AggregationTemporality } =
  require('@opentelemetry/sdk-metrics');

const kExporters = {
  logs: {
    proto: () => require('@opentelemetry/exporter-logs-otlp-proto').OTLPLogExporter,
    json: () => require('@opentelemetry/exporter-logs-otlp-http').OTLPLogExporter,
    grpc: () => require('@opentelemetry/exporter-logs-otlp-grpc').OTLPLogExporter,
  },
  traces: {
    proto: () => require('@opentelemetry/exporter-trace-otlp-proto').OTLPTraceExporter,
    json: () => require('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter,
    grpc: () => require('@opentelemetry/exporter-trace-otlp-grpc').OTLPTraceExporter,
  },
  metrics: {
    proto: () => require('@opentelemetry/exporter-metrics-otlp-proto').OTLPMetricExporter,
    json: () => require('@opentelemetry/exporter-metrics-otlp-http').OTLPMetricExporter,
    grpc: () => require('@opentelemetry/exporter-metrics-otlp-grpc').OTLPMetricExporter,
  },
};
const kLogsPerService = 40;
const kSpansPerService = 25;
// "now" minus a minute keeps every record in a recent hour partition, as a live client would.
const kBaseMillis = Date.now() - 60000;

function fail(message) {
  console.error(`serve_clients: ${message}`);
  process.exit(1);
}

function serviceName(signal, transport) {
  return `o2p-${signal}-${transport}`;
}

function resourceFor(signal, transport) {
  return resourceFromAttributes({
    'service.name': serviceName(signal, transport),
    'o2p.transport': transport,
  });
}

async function makeLogs(signal, transport) {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFor(signal, transport),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('o2p.serve.test', '1.0.0');
  for (let i = 0; i < kLogsPerService; i++) {
    logger.emit({
      timestamp: kBaseMillis + i,
      severityNumber: i % 2 ? SeverityNumber.ERROR : SeverityNumber.INFO,
      severityText: i % 2 ? 'ERROR' : 'INFO',
      body: `log ${transport} #${i} ünïcødé`,
      attributes: { 'record.index': i, 'record.even': i % 2 === 0 },
    });
  }
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

async function makeSpans(signal, transport) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFor(signal, transport),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('o2p.serve.test', '1.0.0');
  for (let i = 0; i < kSpansPerService; i++) {
    const span = tracer.startSpan(`span ${transport} #${i}`, {
      kind: api.SpanKind.SERVER,
      startTime: kBaseMillis + i,
      attributes: { 'span.index': i },
    });
    span.end(kBaseMillis + i + 5);
  }
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  async onForceFlush() {}
  async onShutdown() {}
}

async function makeMetrics(signal, transport) {
  const reader = new ManualReader();
  const provider = new MeterProvider({
    resource: resourceFor(signal, transport),
    readers: [reader],
    views: [
      { instrumentName: 'o2p.sizes', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
    ],
  });
  const meter = provider.getMeter('o2p.serve.test', '1.0.0');
  meter.createCounter('o2p.requests').add(7, { route: '/a' });
  meter.createUpDownCounter('o2p.inflight').add(-3);
  const latency = meter.createHistogram('o2p.latency', {
    advice: { explicitBucketBoundaries: [10, 100] },
  });
  for (const v of [5, 50, 500]) latency.record(v);
  const sizes = meter.createHistogram('o2p.sizes');
  for (const v of [1, 2, 4, 8]) sizes.record(v);
  meter.createObservableGauge('o2p.temperature').addCallback((r) => r.observe(21.5));
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) fail(`metric collection failed: ${errors.join('; ')}`);
  await provider.shutdown();
  return resourceMetrics;
}

function exportOnce(exporter, items) {
  return new Promise((resolve) => exporter.export(items, resolve));
}

async function send(httpBase, grpcUrl, expectFile) {
  const makers = { logs: makeLogs, traces: makeSpans, metrics: makeMetrics };
  const paths = { logs: '/v1/logs', traces: '/v1/traces', metrics: '/v1/metrics' };
  const expect = { logs: kLogsPerService, spans: kSpansPerService, services: [] };
  for (const signal of Object.keys(makers)) {
    for (const transport of ['proto', 'json', 'grpc']) {
      const Exporter = kExporters[signal][transport]();
      const url = transport === 'grpc' ? grpcUrl : `${httpBase}${paths[signal]}`;
      const compression = transport === 'json' ? 'none' : 'gzip';
      const exporter = new Exporter({ url, compression, timeoutMillis: 10000 });
      const items = await makers[signal](signal, transport);
      const result = await exportOnce(exporter, items);
      await exporter.shutdown();
      if (result.code !== 0) {
        fail(`${signal} over ${transport} failed: ${result.error && result.error.message}`);
      }
      expect.services.push({ signal, transport, service: serviceName(signal, transport) });
    }
  }
  fs.writeFileSync(expectFile, JSON.stringify(expect, null, 1));
}

// ---------------------------------------------------------------------------------------------

async function query(connection, sql) {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}

function check(condition, message) {
  if (!condition) fail(`verify: ${message}`);
}

async function verifyLogs(connection, dir, service, transport, expect) {
  const rows = await query(
    connection,
    `SELECT Body, SeverityText, LogAttributes['record.index'] AS idx, ServiceName,
            ResourceAttributes['o2p.transport'] AS transport, Timestamp
       FROM read_parquet('${dir}/logs/**/*.parquet', hive_partitioning = false)
      WHERE ServiceName = '${service}' ORDER BY Timestamp`,
  );
  check(rows.length === expect.logs, `${service}: ${rows.length} log rows, want ${expect.logs}`);
  rows.forEach((row, i) => {
    check(row.Body === `log ${transport} #${i} ünïcødé`, `${service} row ${i} body ${row.Body}`);
    check(row.SeverityText === (i % 2 ? 'ERROR' : 'INFO'), `${service} row ${i} severity`);
    check(String(row.idx) === String(i), `${service} row ${i} attribute ${row.idx}`);
    check(row.transport === transport, `${service} resource attribute ${row.transport}`);
  });
}

async function verifyTraces(connection, dir, service, transport, expect) {
  const rows = await query(
    connection,
    `SELECT SpanName, SpanKind, length(TraceId) AS tl, length(SpanId) AS sl, Duration
       FROM read_parquet('${dir}/traces/**/*.parquet', hive_partitioning = false)
      WHERE ServiceName = '${service}' ORDER BY Timestamp`,
  );
  check(rows.length === expect.spans, `${service}: ${rows.length} spans, want ${expect.spans}`);
  rows.forEach((row, i) => {
    check(row.SpanName === `span ${transport} #${i}`, `${service} span ${i} name ${row.SpanName}`);
    check(String(row.tl) === '32' && String(row.sl) === '16', `${service} span ${i} ids`);
    check(String(row.Duration) === String(5 * 1000 * 1000), `${service} span ${i} duration`);
  });
}

async function verifyMetrics(connection, dir, service) {
  const table = (name) => `read_parquet('${dir}/${name}/**/*.parquet', hive_partitioning = false)`;
  const where = `WHERE ServiceName = '${service}'`;
  const sums = await query(connection, `SELECT MetricName, Value FROM ${table('metrics_sum')} ${where} ORDER BY 1`);
  check(sums.length === 2, `${service}: ${sums.length} sum points`);
  check(sums[0].MetricName === 'o2p.inflight' && Number(sums[0].Value) === -3, `${service} inflight`);
  check(sums[1].MetricName === 'o2p.requests' && Number(sums[1].Value) === 7, `${service} requests`);
  const gauges = await query(connection, `SELECT Value FROM ${table('metrics_gauge')} ${where}`);
  check(gauges.length === 1 && Number(gauges[0].Value) === 21.5, `${service} gauge`);
  const hist = await query(
    connection,
    `SELECT Count, Sum, BucketCounts, ExplicitBounds FROM ${table('metrics_histogram')} ${where}`,
  );
  check(hist.length === 1 && String(hist[0].Count) === '3' && Number(hist[0].Sum) === 555,
    `${service} histogram ${JSON.stringify(hist)}`);
  check(JSON.stringify(hist[0].BucketCounts.map(String)) === '["1","1","1"]',
    `${service} histogram buckets ${JSON.stringify(hist[0].BucketCounts)}`);
  const exp = await query(connection, `SELECT Count, Sum FROM ${table('metrics_exponential_histogram')} ${where}`);
  check(exp.length === 1 && String(exp[0].Count) === '4' && Number(exp[0].Sum) === 15,
    `${service} exponential histogram ${JSON.stringify(exp)}`);
}

async function verify(dataDir, expectFile) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const expect = JSON.parse(fs.readFileSync(expectFile, 'utf8'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const dir = path.resolve(dataDir);
  for (const { signal, transport, service } of expect.services) {
    if (signal === 'logs') await verifyLogs(connection, dir, service, transport, expect);
    if (signal === 'traces') await verifyTraces(connection, dir, service, transport, expect);
    if (signal === 'metrics') await verifyMetrics(connection, dir, service);
  }
  console.log(`serve_clients: verified ${expect.services.length} (signal, transport) pairs`);
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'send' && args.length === 3) return send(...args);
  if (mode === 'verify' && args.length === 2) return verify(...args);
  fail('usage: serve_clients.js send <http-base> <grpc-url> <expect.json> | verify <dir> <expect.json>');
}

const watchdog = setTimeout(() => fail('timed out after 60 s'), 60000);
main().then(
  () => clearTimeout(watchdog),
  (error) => fail(error.stack || String(error)),
);
