import { createHmac } from 'node:crypto';
import pg from 'pg';

/**
 * The real server test/run.js started (embedded default): its addresses, a database connection
 * pool, and tokens signed with its development secret, as the server's own /dev/token would sign
 * them but with any lifetime.
 */
export function realServer() {
  const http = process.env.UC_SERVER_HTTP;
  const db = process.env.UC_SERVER_DB;
  const secret = process.env.UC_SERVER_SECRET;
  if (!http || !db || !secret) throw new Error('no server to test against: run these tests with `npm test`, which starts one');
  const pool = new pg.Pool({ connectionString: db, max: 2 });
  return {
    http,
    live: http.replace(/^http/, 'ws') + '/v1/live',
    port: Number(new URL(http).port),
    query: (sql, params) => pool.query(sql, params).then((r) => r.rows),
    end: () => pool.end(),
    /** A HS256 token for `sub` with `role` that expires in `seconds`. */
    token(sub, role, seconds = 3600) {
      const now = Math.floor(Date.now() / 1000);
      const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = part({ alg: 'HS256', typ: 'JWT' }) + '.' + part({ sub, role, iat: now, exp: now + seconds });
      return unsigned + '.' + createHmac('sha256', secret).update(unsigned).digest('base64url');
    },
  };
}
