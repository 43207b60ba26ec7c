import type { DataSource } from 'typeorm';

/**
 * Runs `work` while no other replica on the same PostgreSQL database (and schema) runs work under
 * the same name: a session advisory lock, held on a connection of its own for the work's length
 * and dropped by the server if the process dies. Replicas started together (compose's
 * `replicas: N`, a rolling upgrade) otherwise ran the migrations and the config file at once:
 * all but one crashed on "relation already exists", and the file's entries could be created twice.
 * `waiting` is told when another replica holds the lock, before this one waits for it.
 */
export async function underPostgresLock<T>(
  dataSource: DataSource,
  name: string,
  work: () => Promise<T>,
  waiting: (name: string) => void,
): Promise<T> {
  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  // Per schema: tests run gateways side by side on one database, each in a schema of its own.
  const key = `synapsehub:${name}:${dataSource.driver.schema ?? 'public'}`;
  try {
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key])) as {
      locked: boolean;
    }[];
    if (!locked) {
      waiting(name);
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    }
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await runner.release();
  }
}
