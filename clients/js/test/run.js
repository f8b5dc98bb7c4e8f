// `npm test`: every test file under test/, against a real Undercurrent server.
//
// The server is the packaged executable in its embedded default (PostgreSQL, Kafka and every role
// in one process), started here on free ports with a fresh data directory and stopped afterwards.
// Build it first with `mvn -B -DskipTests package` at the repository root (`mvn verify` does this
// before it runs these tests). UC_SERVER_JAR names another jar. `npm test -- test/a.test.js` runs
// only the files named.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const jar = process.env.UC_SERVER_JAR || join(root, 'server', 'target', 'undercurrent.jar');
const START_TIMEOUT_MS = 180_000;
/** A test that hangs must not hang the build: each test fails after this long. */
const TEST_TIMEOUT_MS = 120_000;

if (!existsSync(jar)) {
  console.error(`no server jar at ${jar}: build it first with \`mvn -B -DskipTests package\` at the repository root`);
  process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'undercurrent-js-test-'));
const server = await startServer();
let code = 1;
try {
  code = await runTests(server.env);
} finally {
  await stop(server.process);
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);

/** Starts the jar and resolves once its banner has printed every address the tests need. */
function startServer() {
  // Only the settings below reach the server: a stray UNDERCURRENT_* variable in this shell
  // (a secret, a port) would change what is tested, or stop start-up as an unknown setting.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('UNDERCURRENT_')));
  Object.assign(env, {
    UNDERCURRENT_EMBEDDED_DATA_DIR: dataDir,
    UNDERCURRENT_EMBEDDED_POSTGRES_PORT: '0',
    UNDERCURRENT_EMBEDDED_KAFKA_PORT: '0',
    UNDERCURRENT_HTTP_PORT: '0',
    UNDERCURRENT_RULES_DIR: join(root, 'rules'),
    // A browser's EventSource cannot send an Authorization header (test/sse.browser.test.js).
    UNDERCURRENT_EDGE_SSE_TOKEN_PARAMETER: 'true',
  });
  const child = spawn('java', ['-jar', jar], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => fail(`the server did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const fail = (why) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}; its output:\n${output}`));
    };
    const collect = (chunk) => {
      output += chunk;
      if (!output.includes('Stop with Ctrl-C.')) return;
      clearTimeout(timer);
      const found = (pattern) => (output.match(pattern) || [])[1];
      const env = {
        UC_SERVER_HTTP: found(/health:\s+(\S+)\/health/),
        UC_SERVER_DB: found(/database:\s+psql (\S+)/),
        UC_SERVER_SECRET: found(/dev JWT secret \(HS256, for testing only\): (\S+)/),
      };
      if (Object.values(env).some((v) => !v)) return fail('the banner lacks an address the tests need');
      child.stdout.off('data', collect);
      child.stderr.off('data', collect);
      child.stdout.resume();
      child.stderr.resume();
      console.log(`server up at ${env.UC_SERVER_HTTP} (pid ${child.pid})`);
      resolvePromise({ process: child, env });
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.on('exit', (status) => fail(`the server exited with ${status} before it was up`));
  });
}

function runTests(serverEnv) {
  // `npm test -- test/x.test.js ...` runs only those files.
  const named = process.argv.slice(2).map((f) => resolve(f));
  const files = named.length ? named : readdirSync(here).filter((f) => f.endsWith('.test.js')).sort().map((f) => join(here, f));
  // Node 20 and 21 have a WebSocket class only behind this flag; 22 and later have it always.
  const flags = typeof WebSocket === 'undefined' ? ['--experimental-websocket', '--no-warnings=ExperimentalWarning'] : [];
  // --test-force-exit: a handle a failed test left open (a socket, a timer) does not keep its file running.
  const runner = ['--test', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-force-exit'];
  const child = spawn(process.execPath, [...flags, ...runner, ...files], {
    stdio: 'inherit',
    env: { ...process.env, ...serverEnv },
  });
  return new Promise((resolvePromise) => child.on('exit', (status) => resolvePromise(status ?? 1)));
}

/** SIGTERM, as in production: the server drains and stops its parts in order. */
function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  child.removeAllListeners('exit');
  return new Promise((resolvePromise) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', () => {
      clearTimeout(killer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
