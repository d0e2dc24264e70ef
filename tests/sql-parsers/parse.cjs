// Parses SQL files with node-sql-parser and prints one JSON line per file: {"file", "ok", "error"}.
// Usage: node parse.cjs <database> <file>...   (database: BigQuery, Hive (Spark SQL), TransactSQL, PostgresQL, ...)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Parser } = require(path.join(__dirname, 'node_modules', 'node-sql-parser'));

const [database, ...files] = process.argv.slice(2);
const parser = new Parser();
let failed = 0;
for (const file of files) {
  const sql = fs.readFileSync(file, 'utf8');
  try {
    const ast = parser.astify(sql, { database });
    const statements = Array.isArray(ast) ? ast : [ast];
    const types = statements.map((s) => s.type);
    console.log(JSON.stringify({ file, ok: true, statements: types }));
  } catch (error) {
    failed++;
    console.log(JSON.stringify({ file, ok: false, error: String(error.message).slice(0, 500) }));
  }
}
process.exit(failed === 0 ? 0 : 1);
