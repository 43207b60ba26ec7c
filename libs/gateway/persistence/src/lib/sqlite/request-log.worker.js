// Writes request-log rows (or captured bodies) to SQLite in a worker thread, or (workerData.readOnly) runs the long
// reads of the log in another. better-sqlite3 is synchronous: on the gateway's event loop every batch or long read
// would stall the requests in flight for its whole duration.
// Plain CommonJS so that it runs unchanged from the sources (tests) and from the build (copied asset).
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const { usageTracker } = require('./usage-tracker.js');

const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
if (workerData.readOnly) {
  // The reader thread: queries only, on a connection that WAL lets read while the writer writes.
  db.pragma('query_only = ON');
} else {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}
const insert = workerData.sql ? db.prepare(workerData.sql) : undefined;
// One transaction per message: the batch is written whole or not at all. Answers the rows written
// (a row whose id is there already is skipped). The values go as arguments, not as one array:
// better-sqlite3 then binds each directly instead of reading the array element by element
// (~1 µs a row of 25 values, a tenth of the thread's work).
const insertAll = db.transaction((rows) => {
  const written = [];
  for (const row of rows) if (insert.run(...row).changes > 0) written.push(row);
  return written;
});

// The usage rollup's sums of the rows this thread wrote (workerData.usage: the INSERT's columns
// and the latency buckets' bounds), handed to the job by `drainUsage`.
const usage = workerData.usage ? usageTracker(workerData.usage) : undefined;

// Other statements run here too, so that they never stall the event loop: on the writer, retention's deletes and the
// usage rollup's upserts; on the reader, the long reads of the log (searches, the rollup's and the alerts' sums).
const statements = new Map();
function prepared(sql) {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
// Several writes in one transaction (the usage rollup's upserts). Prepared each time, not kept:
// their SQL varies with the number of rows.
const runAll = db.transaction((statements) => {
  let changes = 0;
  for (const { sql, params } of statements) changes += db.prepare(sql).run(...params).changes;
  return changes;
});
/** [first minute, last minute + 1) of the groups, as `2026-01-31 12:00` minutes. */
function writtenRange(groups) {
  let first = groups[0].minute;
  let last = first;
  for (const { minute } of groups) {
    if (minute < first) first = minute;
    if (minute > last) last = minute;
  }
  const next = new Date(Date.parse(`${last.replace(' ', 'T')}:00.000Z`) + 60000).toISOString();
  return [first, `${next.slice(0, 10)} ${next.slice(11, 16)}`];
}

/** A `2026-01-31 12:00` minute as created_at's text, which compares as time. */
function sqliteTime(minute) {
  return `${minute}:00.000`;
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
  if (message.execAll) {
    try {
      parentPort.postMessage({ id: message.id, changes: runAll(message.execAll) });
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
  if (message.drainUsage) {
    // The log's counts and the sums handed over at one instant: no row is written between them.
    try {
      const { countSql, from, to, onlyWritten } = message.drainUsage;
      const groups = usage ? usage.drain(from, to) : null;
      let range = [from, to];
      // Only the minutes this thread wrote to can have changed (one writer): count those alone.
      if (onlyWritten && groups) range = groups.length ? writtenRange(groups) : null;
      const rows = range ? prepared(countSql).all(...range.map(sqliteTime)) : [];
      parentPort.postMessage({ id: message.id, rows, groups });
    } catch (error) {
      refused(message.id, error);
    }
    return;
  }
  try {
    const written = insertAll(JSON.parse(message.rows));
    if (usage) usage.written(written);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    refused(message.id, error);
  }
});
