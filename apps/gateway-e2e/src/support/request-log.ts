import { openStore, TypeOrmRequestLogRepository, type RequestLogEntry } from '@synapse/gateway/persistence';

/** Reads the request log the gateway wrote, straight from its store. */
export async function readRequestLog(dataDir: string, databaseUrl?: string): Promise<RequestLogEntry[]> {
  const store = await openStore({ dataDir, databaseUrl });
  const repository = new TypeOrmRequestLogRepository(store);
  try {
    return await repository.find({ limit: 1000 });
  } finally {
    await repository.close();
    await store.dataSource.destroy();
  }
}

/** Polls until the entry with this request id has been flushed. */
export async function waitForLogEntry(dataDir: string, id: string, timeoutMs = 5000): Promise<RequestLogEntry> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const entry = (await readRequestLog(dataDir)).find((e) => e.id === id);
    if (entry) return entry;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`request ${id} was not logged within ${timeoutMs} ms`);
}
