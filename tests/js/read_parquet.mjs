// Reads Parquet files with two independent readers, DuckDB (@duckdb/node-api) and hyparquet,
// and prints what each saw as ONE JSON document on stdout, for
// tests/integration/parquet_readback_test.cc to compare with the batches that were written.
//
// Usage: node read_parquet.mjs FILE...
//
// Output:
//   {"files": [{"file": PATH,
//     "duckdb": {"columns": [[name, duckdb type], ...],       // SELECT * result columns
//                "rows": [[cell, ...], ...],                  // SELECT * in file order
//                "schema": [{name, type, repetition_type, converted_type, logical_type,
//                            field_id, num_children}, ...],    // parquet_schema(), root first
//                "kv": [[key, value], ...],                   // parquet_kv_metadata()
//                "file": {created_by, num_rows, num_row_groups},
//                "chunks": [{row_group, path, compression, encodings, num_values}, ...]},
//     "hyparquet": {"columns": [name, ...], "rows": [...],
//                   "schema": [... same fields as above, from hyparquet's own footer parse ...],
//                   "chunks": [{row_group, path, codec, encodings, num_values,
//                               pages,          // data pages in the offset index (or null)
//                               page_headers: [{type, encoding, uncompressed, compressed,
//                                               num_values}, ...]}, ...]}  // walked in the file
//   }]}
// Each part is read on its own: when one fails, "<part>_error": message replaces it (rows and
// columns fail together as "rows_error"), so a file whose values cannot be decoded still has
// its footer checked. hyparquet reports "error" alone when it cannot parse the footer.
//
// Cells are in one normal form, the same for both readers (the C++ side builds the expected
// cells in this form from the input RecordBatch and compares text):
//   null                -> null
//   boolean             -> true / false
//   int, long           -> decimal string            "-9223372036854775808"
//   timestamptz         -> microseconds since the epoch, decimal string
//   double              -> ECMAScript Number::toString (shortest round trip), with "NaN",
//                          "Infinity", "-Infinity" and "-0" spelled out, as a string
//   string              -> the string
//   list                -> array
//   map                 -> array of [key, value-or-null] pairs, in file order (hyparquet
//                          returns maps as JS objects, which reorder integer-like keys; the
//                          C++ side compares hyparquet's maps by key)
//   struct              -> object with the fields in schema order
// Anything else (a Date, a blob, an unknown DuckDB value class) becomes
// {"unexpected": description}, which never equals an expected cell.

import { readFileSync } from 'node:fs';

import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata, parquetReadObjects, parquetSchema, readOffsetIndex } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { compressors as allCompressors } from 'hyparquet-compressors';

// hyparquet-compressors 1.1.2 cannot decode the one-byte LZ4 block (a 0x00 token) that encodes
// an empty page, which is what LZ4_RAW makes of a zero-length page (e.g. the dictionary page of
// a column chunk with no non-null values); liblz4 and DuckDB decode it. Only that exact block
// is special-cased, everything else goes to the library.
const compressors = {
  ...allCompressors,
  LZ4_RAW(input, outputLength) {
    if (outputLength === 0 && input.length === 1 && input[0] === 0) return new Uint8Array(0);
    return allCompressors.LZ4_RAW(input, outputLength);
  },
};

// --- The normal form --------------------------------------------------------------------------

function numberText(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (Object.is(x, -0)) return '-0';
  return String(x);  // shortest round trip; "Infinity", "-Infinity"
}

function unexpected(value) {
  let text;
  try {
    text = `${value?.constructor?.name ?? typeof value}: ${String(value)}`;
  } catch (e) {
    text = typeof value;
  }
  return { unexpected: text };
}

// DuckDB values: the JS primitives plus its value classes (by class name, so no import of each).
function duckValue(value) {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'number':
      return numberText(value);
    default:
      break;
  }
  switch (value.constructor?.name) {
    case 'DuckDBTimestampTZValue':
      return value.micros.toString();
    case 'DuckDBListValue':
      return value.items.map(duckValue);
    case 'DuckDBMapValue':
      return value.entries.map((e) => [duckValue(e.key), duckValue(e.value)]);
    case 'DuckDBStructValue': {
      const out = {};
      for (const [name, member] of Object.entries(value.entries)) out[name] = duckValue(member);
      return out;
    }
    default:
      return unexpected(value);
  }
}

// hyparquet values, directed by the schema tree (its maps and structs are both plain objects).
function hyparquetValue(value, node) {
  if (value === null || value === undefined) return null;
  const element = node.element;
  if (element.converted_type === 'MAP' || element.logical_type?.type === 'MAP') {
    if (typeof value !== 'object' || Array.isArray(value)) return unexpected(value);
    const valueNode = node.children[0].children[1];
    return Object.entries(value).map(([k, v]) => [k, hyparquetValue(v, valueNode)]);
  }
  if (element.converted_type === 'LIST' || element.logical_type?.type === 'LIST') {
    if (!Array.isArray(value)) return unexpected(value);
    const list = node.children[0];
    const elementNode = list.children.length === 1 ? list.children[0] : list;
    return value.map((item) => hyparquetValue(item, elementNode));
  }
  if (node.children.length > 0) {
    if (typeof value !== 'object' || Array.isArray(value)) return unexpected(value);
    const out = {};
    for (const child of node.children) {
      out[child.element.name] = hyparquetValue(value[child.element.name], child);
    }
    return out;
  }
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'number':
      return numberText(value);
    default:
      return unexpected(value);
  }
}

// --- DuckDB -----------------------------------------------------------------------------------

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function blobText(value) {
  if (value === null || value === undefined) return null;
  if (value.bytes instanceof Uint8Array) return utf8.decode(value.bytes);
  return String(value);
}

function plain(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

// Runs each part of a read on its own; a failing part becomes "<name>_error".
async function part(out, name, read) {
  try {
    Object.assign(out, await read());
  } catch (e) {
    out[`${name}_error`] = String(e?.stack ?? e);
  }
}

async function readWithDuckDB(connection, file) {
  const path = sqlString(file);
  const out = {};
  await part(out, 'rows', async () => {
    const data = await connection.runAndReadAll(`SELECT * FROM read_parquet(${path})`);
    const types = data.columnTypes();
    return {
      columns: data.columnNames().map((name, i) => [name, types[i].toString()]),
      rows: data.getRows().map((row) => row.map(duckValue)),
    };
  });
  await part(out, 'schema', async () => {
    const result = await connection.runAndReadAll(
      `SELECT name, type, repetition_type, converted_type, logical_type, field_id, num_children
         FROM parquet_schema(${path})`);
    return {
      schema: result.getRowObjects().map((r) => ({
        name: r.name,
        type: r.type,
        repetition_type: r.repetition_type,
        converted_type: r.converted_type,
        logical_type: r.logical_type,
        field_id: plain(r.field_id),
        num_children: plain(r.num_children),
      })),
    };
  });
  await part(out, 'kv', async () => {
    const result = await connection.runAndReadAll(
      `SELECT key, value FROM parquet_kv_metadata(${path})`);
    return { kv: result.getRows().map(([key, value]) => [blobText(key), blobText(value)]) };
  });
  await part(out, 'file', async () => {
    const result = await connection.runAndReadAll(
      `SELECT created_by, num_rows, num_row_groups FROM parquet_file_metadata(${path})`);
    const [row] = result.getRowObjects();
    return {
      file: {
        created_by: row.created_by,
        num_rows: plain(row.num_rows),
        num_row_groups: plain(row.num_row_groups),
      },
    };
  });
  await part(out, 'chunks', async () => {
    const result = await connection.runAndReadAll(
      `SELECT row_group_id, path_in_schema, compression, encodings, num_values
         FROM parquet_metadata(${path}) ORDER BY row_group_id, column_id`);
    return {
      chunks: result.getRowObjects().map((r) => ({
        row_group: plain(r.row_group_id),
        path: r.path_in_schema,
        compression: r.compression,
        encodings: r.encodings,
        num_values: plain(r.num_values),
      })),
    };
  });
  return out;
}

// --- hyparquet --------------------------------------------------------------------------------

// Keep timestamps as their raw int64 microseconds (the default parser makes a millisecond Date).
const rawTimestamps = {
  timestampFromMilliseconds: (v) => v,
  timestampFromMicroseconds: (v) => v,
  timestampFromNanoseconds: (v) => v,
};

function logicalTypeText(logical) {
  if (!logical) return null;
  return JSON.stringify(logical, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

// The page headers of one column chunk, walked from its first page to its end.
function pageHeaders(buffer, meta) {
  const first = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
  const end = first + Number(meta.total_compressed_size);
  const reader = { view: new DataView(buffer), offset: first };
  const pages = [];
  while (reader.offset < end) {
    const header = parquetHeader(reader);
    const body = header.data_page_header ?? header.dictionary_page_header ??
      header.data_page_header_v2;
    pages.push({
      type: header.type,
      encoding: body?.encoding ?? null,
      uncompressed: header.uncompressed_page_size,
      compressed: header.compressed_page_size,
      num_values: body?.num_values ?? null,
    });
    reader.offset += header.compressed_page_size;
  }
  if (reader.offset !== end) throw new Error(`pages end at ${reader.offset}, chunk at ${end}`);
  return pages;
}

async function readWithHyparquet(file) {
  const bytes = readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata = parquetMetadata(buffer);
  const tree = parquetSchema(metadata);
  const out = {};

  await part(out, 'rows', async () => {
    const objects = await parquetReadObjects({
      file: buffer,
      metadata,
      compressors,
      parsers: rawTimestamps,
      utf8: true,
    });
    return {
      columns: tree.children.map((child) => child.element.name),
      rows: objects.map((object) =>
        tree.children.map((child) => hyparquetValue(object[child.element.name], child))),
    };
  });

  out.schema = metadata.schema.map((e) => ({
    name: e.name,
    type: e.type ?? null,
    repetition_type: e.repetition_type ?? null,
    converted_type: e.converted_type ?? null,
    logical_type: logicalTypeText(e.logical_type),
    field_id: e.field_id ?? null,
    num_children: e.num_children ?? null,
  }));

  await part(out, 'chunks', async () => {
    const chunks = [];
    metadata.row_groups.forEach((rowGroup, index) => {
      for (const chunk of rowGroup.columns) {
        const meta = chunk.meta_data;
        let pages = null;
        if (chunk.offset_index_offset !== undefined && chunk.offset_index_length) {
          const start = Number(chunk.offset_index_offset);
          const view = new DataView(buffer, start, chunk.offset_index_length);
          pages = readOffsetIndex({ view, offset: 0 }).page_locations.length;
        }
        chunks.push({
          row_group: index,
          path: meta.path_in_schema.join('.'),
          codec: meta.codec,
          encodings: meta.encodings,
          num_values: Number(meta.num_values),
          pages,
          page_headers: pageHeaders(buffer, meta),
        });
      }
    });
    return { chunks };
  });
  return out;
}

// --- Main -------------------------------------------------------------------------------------

function errorOf(e) {
  return { error: String(e?.stack ?? e) };
}

async function main(files) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const out = [];
  for (const file of files) {
    let duckdb;
    let hyparquet;
    try {
      duckdb = await readWithDuckDB(connection, file);
    } catch (e) {
      duckdb = errorOf(e);
    }
    try {
      hyparquet = await readWithHyparquet(file);
    } catch (e) {
      hyparquet = errorOf(e);
    }
    out.push({ file, duckdb, hyparquet });
  }
  connection.closeSync();
  process.stdout.write(JSON.stringify({ files: out }));
  process.stdout.write('\n');
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node read_parquet.mjs FILE...\n');
  process.exit(2);
}
await main(files);
