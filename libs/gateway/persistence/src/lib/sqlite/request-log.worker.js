// Writes request-log rows (or captured bodies) to SQLite in a worker thread. better-sqlite3 is synchronous: on the
// gateway's event loop every batch would stall the requests in flight for its whole duration.
// Plain CommonJS so that it runs unchanged from the sources (tests) and from the build (copied asset).
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const insert = db.prepare(workerData.sql);
// One transaction per message: the batch is written whole or not at all.
const insertAll = db.transaction((rows) => {
  for (const row of rows) insert.run(row);
});

// Other statements (retention's deletes, the usage rollup's sums of the log) run here too, so
// that they never stall the event loop.
const statements = new Map();
function prepared(sql) {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
function refused(id, error) {
  parentPort.postMessage({
    id,
    error: error && error.message ? error.message : String(error),
    code: error && error.code,
  });
}

parentPort.on('message', (message) => {
  if (message.close) {
    db.close();
    parentPort.postMessage({ id: message.id });
    return;
  }
  if (message.exec) {
    try {
      parentPort.postMessage({
        id: message.id,
        changes: prepared(message.exec.sql).run(...message.exec.params).changes,
      });
    } catch (error) {
      refused(message.id, error);
    }
    return;
  }
  if (message.query) {
    try {
      parentPort.postMessage({ id: message.id, rows: prepared(message.query.sql).all(...message.query.params) });
    } catch (error) {
      refused(message.id, error);
    }
    return;
  }
  try {
    insertAll(JSON.parse(message.rows));
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    refused(message.id, error);
  }
});
