import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { startEmbeddedServer } from './connection.ts';

describe('the embedded database served to several connections', () => {
  it('answers every concurrent parameterised read correctly while another connection writes in transactions', async () => {
    const embedded = await startEmbeddedServer(undefined);
    const pool = new pg.Pool({ connectionString: embedded.url, max: 8 });
    try {
      await pool.query('CREATE TABLE a (id int PRIMARY KEY, v text); CREATE TABLE b (k text PRIMARY KEY, n int)');
      await pool.query("INSERT INTO b SELECT 'k' || g, g FROM generate_series(1, 100) g");
      let stop = false;
      const writer = (async () => {
        let i = 0;
        while (!stop) {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            for (let j = 0; j < 10; j++) await client.query('INSERT INTO a VALUES ($1, $2)', [i++, `x${i}`]);
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        }
      })();
      let wrong = 0;
      await Promise.all(
        Array.from({ length: 5 }, async (_, reader) => {
          for (let i = 0; i < 60; i++) {
            const k = 1 + ((i * 7 + reader) % 100);
            const { rows } = await pool.query('SELECT n FROM b WHERE k = $1', [`k${k}`]);
            if (rows.length !== 1 || rows[0].n !== k) wrong++;
          }
        }),
      );
      stop = true;
      await writer;
      // Before the queue fix, about three reads in four came back with another query's answer.
      expect(wrong).toBe(0);
    } finally {
      await pool.end();
      await embedded.stop();
    }
  });
});
