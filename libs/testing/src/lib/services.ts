import { Client } from 'pg';

export const POSTGRES_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Set by the Jest globalSetup (tools/jest/probe-services.cjs), which fails the run under REQUIRE_SERVICES=1. */
export const postgresAvailable = process.env['SYNAPSE_TEST_POSTGRES'] === '1';
export const redisAvailable = process.env['SYNAPSE_TEST_REDIS'] === '1';

export const describeWithPostgres = postgresAvailable ? describe : describe.skip;
export const describeWithRedis = redisAvailable ? describe : describe.skip;

/** Runs one administrative statement (CREATE DATABASE, DROP SCHEMA...) on its own connection. */
export async function runPostgres(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL schema for one test file, dropped again by `drop()`. */
export async function createPostgresSchema(prefix = 'test'): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await runPostgres(`CREATE SCHEMA "${schema}"`);
  return { schema, drop: () => runPostgres(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}
