#!/usr/bin/env node
// Captures what the real OpenTelemetry JS OTLP/HTTP exporters send, for the decoder tests.
//
//   node tests/js/capture_otlp.js <output-dir>
//
// 1. Starts an HTTP server on 127.0.0.1 (ephemeral port) that records every POST body as it
//    arrived on the wire (still compressed when the exporter compressed it) and answers 200
//    with an empty Export*ServiceResponse in the request's encoding.
// 2. Creates logs, spans and metrics ONCE with the SDKs (fixed ids and timestamps where the
//    SDK allows it), then hands the same items to each exporter's export():
//      proto      @opentelemetry/exporter-*-otlp-proto, application/x-protobuf
//      json       @opentelemetry/exporter-*-otlp-http,  application/json
//      proto-gzip the logs protobuf exporter once more with compression 'gzip'
// 3. Writes <signal>.<exporter>.<n>.body per request and manifest.json describing them:
//      [{file, path, contentType, contentEncoding, signal, exporter}, ...]
// Exits 0 when every export reported success, non-zero with a message otherwise.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

const api = require('@opentelemetry/api');
const { SeverityNumber } = require('@opentelemetry/api-logs');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const {
  LoggerProvider,
  SimpleLogRecordProcessor,
  InMemoryLogRecordExporter,
} = require('@opentelemetry/sdk-logs');
const {
  BasicTracerProvider,
  SimpleSpanProcessor,
  InMemorySpanExporter,
} = require('@opentelemetry/sdk-trace-base');
const {
  MeterProvider,
  MetricReader,
  AggregationType,
  AggregationTemporality,
} = require('@opentelemetry/sdk-metrics');
const { OTLPLogExporter: LogsProtoExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
const { OTLPLogExporter: LogsJsonExporter } = require('@opentelemetry/exporter-logs-otlp-http');
const { OTLPTraceExporter: TraceProtoExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPTraceExporter: TraceJsonExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const {
  OTLPMetricExporter: MetricsProtoExporter,
} = require('@opentelemetry/exporter-metrics-otlp-proto');
const {
  OTLPMetricExporter: MetricsJsonExporter,
} = require('@opentelemetry/exporter-metrics-otlp-http');

const kExporterHeader = 'x-o2p-exporter';
const kWatchdogMillis = 20000;
const kSignalOfPath = { '/v1/logs': 'logs', '/v1/traces': 'traces', '/v1/metrics': 'metrics' };

// 2023-11-14T22:13:20Z, in milliseconds (the SDKs' TimeInput for numbers).
const kBaseMillis = 1700000000000;
const kTraceId = '5b8efff798038103d269b633813fc60c';
const kRemoteSpanId = 'eee19b7ec3c1b174';
const kLinkedTraceId = '0af7651916cd43dd8448eb211c80319c';
const kLinkedSpanId = 'b7ad6b7169203331';
// A fixed exception (a real Error's stack would name this machine's paths).
const kException = {
  name: 'PaymentError',
  message: 'card declined',
  stack: 'PaymentError: card declined\n    at charge (billing.js:10:5)\n    at main (app.js:3:1)',
};

function fail(message) {
  console.error(`capture_otlp: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// The receiving end.

function startServer(outDir) {
  const manifest = [];
  const counters = new Map();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const signal = kSignalOfPath[req.url];
      if (req.method !== 'POST' || signal === undefined) {
        res.writeHead(404).end();
        return;
      }
      const exporter = req.headers[kExporterHeader] || 'unknown';
      const key = `${signal}.${exporter}`;
      const n = counters.get(key) || 0;
      counters.set(key, n + 1);
      const file = `${key}.${n}.body`;
      fs.writeFileSync(path.join(outDir, file), Buffer.concat(chunks));
      const contentType = req.headers['content-type'] || '';
      manifest.push({
        file,
        path: req.url,
        contentType,
        contentEncoding: req.headers['content-encoding'] || '',
        signal,
        exporter,
      });
      // An empty protobuf message is the empty byte string; JSON needs an object.
      if (contentType.startsWith('application/json')) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      } else {
        res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, manifest }));
  });
}

// ---------------------------------------------------------------------------------------------
// The telemetry, created once.

const resource = resourceFromAttributes({
  'service.name': 'o2p-real-client',
  'service.namespace': 'o2p-tests',
  'service.instance.id': 'instance-0001',
  'deployment.environment.name': 'test',
});

// Deterministic ids so the C++ test can name them; the SDK calls these for every new trace/span.
class CountingIdGenerator {
  constructor() {
    this.spans = 0;
  }
  generateTraceId() {
    return kTraceId;
  }
  generateSpanId() {
    this.spans += 1;
    return this.spans.toString(16).padStart(16, '0');
  }
}

function remoteContext(traceId, spanId, traceState) {
  return api.trace.setSpanContext(api.ROOT_CONTEXT, {
    traceId,
    spanId,
    traceFlags: api.TraceFlags.SAMPLED,
    isRemote: true,
    traceState: traceState ? api.createTraceState(traceState) : undefined,
  });
}

async function makeLogs() {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('o2p.capture.logs', '1.2.3', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  });
  const withTrace = remoteContext(kTraceId, kRemoteSpanId);
  logger.emit({
    timestamp: kBaseMillis + 1,
    observedTimestamp: kBaseMillis + 2,
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'user logged in: ünïcødé ✓ 日本語 "quoted" \\ back\nslash',
    context: withTrace,
    attributes: {
      'attr.string': 'hello',
      'attr.empty': '',
      'attr.int': 42,
      'attr.negative': -7,
      'attr.double': 3.25,
      'attr.bool': true,
      'attr.false': false,
      'attr.string_array': ['a', 'b', 'c'],
      'attr.int_array': [1, 2, 3],
      'attr.mixed_array': ['x', 1, 2.5, true],
      'attr.nested': { inner: { leaf: 'value', count: 2 }, list: [1, 'two'] },
      'attr.bytes': new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      'attr.unicode': 'naïve café – 東京',
    },
  });
  logger.emit({
    timestamp: kBaseMillis + 3,
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: { message: 'payment failed', code: 402, retry: false, amounts: [1.5, 2.5] },
    attributes: { 'order.id': 'ord-17' },
    exception: kException,
  });
  logger.emit({
    timestamp: kBaseMillis + 4,
    severityNumber: SeverityNumber.WARN2,
    body: ['first', 2, { third: 3 }],
    attributes: { 'http.response.status_code': 503 },
  });
  logger.emit({
    timestamp: kBaseMillis + 5,
    severityNumber: SeverityNumber.DEBUG,
    severityText: 'debug',
    body: 12345,
  });
  // An event: event name, no body (the exporter still writes an empty AnyValue body).
  logger.emit({
    eventName: 'o2p.test.event',
    timestamp: kBaseMillis + 6,
    severityNumber: SeverityNumber.FATAL,
    attributes: { 'event.flag': true },
  });
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

async function makeSpans() {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource,
    idGenerator: new CountingIdGenerator(),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('o2p.capture.traces', '4.5.6');
  const remote = remoteContext(kTraceId, kRemoteSpanId, 'vendor=opaque,other=1');

  const server = tracer.startSpan(
    'GET /api/orders',
    {
      kind: api.SpanKind.SERVER,
      startTime: kBaseMillis + 10,
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 500,
        'url.path': '/api/orders',
        'server.duration_ratio': 0.75,
        'feature.flags': ['a', 'b'],
      },
    },
    remote,
  );
  server.addEvent('cache.miss', { 'cache.key': 'orders:17', 'cache.tries': 2 }, kBaseMillis + 11);
  const serverContext = api.trace.setSpan(api.ROOT_CONTEXT, server);

  const client = tracer.startSpan(
    'SELECT orders',
    {
      kind: api.SpanKind.CLIENT,
      startTime: kBaseMillis + 12,
      attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT * FROM "orders"' },
      links: [
        {
          context: {
            traceId: kLinkedTraceId,
            spanId: kLinkedSpanId,
            traceFlags: api.TraceFlags.SAMPLED,
            traceState: api.createTraceState('linked=yes'),
          },
          attributes: { 'link.reason': 'batch', 'link.index': 0 },
        },
      ],
    },
    serverContext,
  );
  client.setStatus({ code: api.SpanStatusCode.ERROR, message: 'db timeout after 30s' });
  client.addEvent('retry', { attempt: 1 }, kBaseMillis + 13);
  client.end(kBaseMillis + 20);

  const producer = tracer.startSpan(
    'orders publish',
    { kind: api.SpanKind.PRODUCER, startTime: kBaseMillis + 21 },
    serverContext,
  );
  producer.setStatus({ code: api.SpanStatusCode.OK });
  producer.end(kBaseMillis + 22);

  const consumer = tracer.startSpan(
    'orders process',
    { kind: api.SpanKind.CONSUMER, startTime: kBaseMillis + 23 },
    serverContext,
  );
  consumer.end(kBaseMillis + 24);

  const internal = tracer.startSpan('compute totals', { startTime: kBaseMillis + 25 }, serverContext);
  internal.setAttribute('items', 3);
  internal.end(kBaseMillis + 26);

  server.recordException(kException, kBaseMillis + 29);
  server.setStatus({ code: api.SpanStatusCode.ERROR, message: 'downstream failed' });
  server.end(kBaseMillis + 30);

  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

// A reader that collects only when asked; its result is what a push exporter receives.
class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  async onForceFlush() {}
  async onShutdown() {}
}

async function makeMetrics() {
  const reader = new ManualReader();
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [
      {
        instrumentName: 'o2p.payload.size',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } },
      },
    ],
  });
  const meter = provider.getMeter('o2p.capture.metrics', '7.8.9');

  const requests = meter.createCounter('o2p.requests', {
    description: 'Requests handled',
    unit: '{request}',
    valueType: api.ValueType.INT,
  });
  requests.add(3, { route: '/a', ok: true });
  requests.add(4, { route: '/b', ok: false });

  const inflight = meter.createUpDownCounter('o2p.inflight', { unit: '{request}' });
  inflight.add(5);
  inflight.add(-2);

  const latency = meter.createHistogram('o2p.latency', {
    description: 'Request latency',
    unit: 'ms',
    advice: { explicitBucketBoundaries: [0, 5, 10, 25, 50, 100] },
  });
  for (const ms of [1, 3, 7, 12, 30, 30, 75, 250]) latency.record(ms, { route: '/a' });

  const payload = meter.createHistogram('o2p.payload.size', { unit: 'By' });
  for (const size of [1, 2, 4, 100, 1000, 1000000]) payload.record(size);

  const temperature = meter.createObservableGauge('o2p.temperature', { unit: 'Cel' });
  temperature.addCallback((result) => {
    result.observe(21.5, { room: 'lab' });
    result.observe(-3.25, { room: 'freezer' });
  });

  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) fail(`metric collection failed: ${errors.join('; ')}`);
  await provider.shutdown();
  return resourceMetrics;
}

// ---------------------------------------------------------------------------------------------
// The exports.

function exporterOptions(url, name, compression) {
  return {
    url,
    compression,
    headers: { [kExporterHeader]: name },
    timeoutMillis: 5000,
  };
}

function exportOnce(exporter, items) {
  return new Promise((resolve) => {
    exporter.export(items, (result) => resolve(result));
  });
}

async function runExports(base, telemetry) {
  const plan = [
    ['logs', 'proto', new LogsProtoExporter(exporterOptions(`${base}/v1/logs`, 'proto', 'none'))],
    ['logs', 'json', new LogsJsonExporter(exporterOptions(`${base}/v1/logs`, 'json', 'none'))],
    [
      'logs',
      'proto-gzip',
      new LogsProtoExporter(exporterOptions(`${base}/v1/logs`, 'proto-gzip', 'gzip')),
    ],
    [
      'traces',
      'proto',
      new TraceProtoExporter(exporterOptions(`${base}/v1/traces`, 'proto', 'none')),
    ],
    ['traces', 'json', new TraceJsonExporter(exporterOptions(`${base}/v1/traces`, 'json', 'none'))],
    [
      'metrics',
      'proto',
      new MetricsProtoExporter(exporterOptions(`${base}/v1/metrics`, 'proto', 'none')),
    ],
    [
      'metrics',
      'json',
      new MetricsJsonExporter(exporterOptions(`${base}/v1/metrics`, 'json', 'none')),
    ],
  ];
  const failures = [];
  for (const [signal, name, exporter] of plan) {
    const result = await exportOnce(exporter, telemetry[signal]);
    if (result.code !== 0) {
      failures.push(`${signal}/${name}: ${result.error ? result.error.message : 'failed'}`);
    }
    await exporter.shutdown();
  }
  return failures;
}

async function main() {
  const outDir = process.argv[2];
  if (!outDir) fail('usage: node capture_otlp.js <output-dir>');
  fs.mkdirSync(outDir, { recursive: true });
  setTimeout(() => fail(`timed out after ${kWatchdogMillis} ms`), kWatchdogMillis).unref();

  const telemetry = {
    logs: await makeLogs(),
    traces: await makeSpans(),
    metrics: await makeMetrics(),
  };
  const { server, manifest } = await startServer(outDir);
  const base = `http://127.0.0.1:${server.address().port}`;
  let failures;
  try {
    failures = await runExports(base, telemetry);
  } finally {
    server.closeAllConnections();
    server.close();
  }
  fs.writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (failures.length > 0) fail(`export failed: ${failures.join('; ')}`);
  const counts = {};
  for (const entry of manifest) {
    const key = `${entry.signal}.${entry.exporter}`;
    counts[key] = (counts[key] || 0) + 1;
  }
  console.log(
    `capture_otlp: ${telemetry.logs.length} log records, ${telemetry.traces.length} spans, ` +
      `${telemetry.metrics.scopeMetrics.reduce((n, s) => n + s.metrics.length, 0)} metrics; ` +
      `requests ${JSON.stringify(counts)} -> ${outDir}`,
  );
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
