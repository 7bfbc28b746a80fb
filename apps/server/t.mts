import { createTestDatabase } from '../../packages/db/src/test-database.ts';
const h = await createTestDatabase();
console.log((await h.pool.query("select name from schema_migrations")).rows);
await h.pool.query("insert into audit_log(action) values ('x')");
try { await h.pool.query("delete from audit_log"); } catch (e) { console.log('blocked:', (e as Error).message); }
await h.close();
