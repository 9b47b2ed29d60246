// Test helper: runs one SQL statement in an in-memory DuckDB and prints the rows as JSON
// (one array of objects; BIGINTs as strings). Usage: node duckdb_query.mjs "SELECT ..."
import { DuckDBInstance } from '@duckdb/node-api';

const sql = process.argv[2];
if (!sql) {
  console.error('usage: node duckdb_query.mjs "SQL"');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const reader = await connection.runAndReadAll(sql);
console.log(JSON.stringify(reader.getRowObjectsJson()));
