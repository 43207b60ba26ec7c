import { whileReverted } from '../testing/migration-revert';
import { SQL_STORES, storeForSuite } from '../testing/store-harnesses';

describe.each(SQL_STORES)('RequestLogAudioSeconds1798000000021 on %s', (_name, makeHarness) => {
  const opened = storeForSuite(makeHarness);

  it('keeps a row without audio as null, and drops the column when reverted', async () => {
    const { dataSource, dialect } = opened();
    await dataSource.query(
      `INSERT INTO request_logs (id, created_at, endpoint, stream, status, latency_ms, audio_seconds)
       VALUES ('a1', '2026-12-07 10:00:00', 'audio.transcriptions', ${dialect === 'postgres' ? 'false' : '0'}, 200, 5, 8)`,
    );
    expect((await dataSource.query(`SELECT audio_seconds FROM request_logs WHERE id = 'a1'`))[0]).toEqual({
      audio_seconds: 8,
    });
    await whileReverted(opened(), 'RequestLogAudioSeconds1798000000021', async () => {
      await expect(dataSource.query('SELECT audio_seconds FROM request_logs')).rejects.toThrow();
    });
    expect(await dataSource.query(`SELECT audio_seconds FROM request_logs WHERE id = 'a1'`)).toEqual([
      { audio_seconds: null },
    ]);
  });
});
