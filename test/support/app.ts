import type { AddressInfo } from 'node:net';
import { AdjustableClock } from '../../src/platform/clock.ts';
import { type Config, loadConfig } from '../../src/platform/config.ts';
import type { JobDeps } from '../../src/platform/jobs/index.ts';
import { createMailer, type Mailer } from '../../src/platform/mail.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.ts';

export interface TestApp extends Runtime {
  url: string;
  clock: AdjustableClock;
  config: Config;
}

/** Test configuration: hooks on, logs off, rate limit off, jobs off unless asked. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    COMPTOIR_TEST_HOOKS: '1',
    LOG_LEVEL: 'silent',
    COMPTOIR_RATE_LIMIT: '0',
    COMPTOIR_JOBS: 'off',
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  });
}

/** A full app instance (HTTP on a loopback port, bus, stream hub, jobs) on the given database. */
export async function startTestApp(
  databaseUrl: string,
  env: Record<string, string> = {},
  opts: RuntimeOptions = {},
): Promise<TestApp> {
  const config = testConfig(env);
  const clock = (opts.clock as AdjustableClock | undefined) ?? new AdjustableClock();
  const runtime = await createRuntime(config, databaseUrl, { ...opts, clock });
  await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = runtime.app.server.address() as AddressInfo;
  return { ...runtime, clock, config, url: `http://127.0.0.1:${port}` };
}

/** What a job handler receives, for calling one directly in a test (the test clock included). */
export function jobDepsOf(a: TestApp, mailer: Mailer = createMailer(undefined, 'test@comptoir.test')): JobDeps {
  const quiet = () => {};
  return { db: a.db, clock: a.clock, mailer, log: { info: quiet, warn: quiet, error: quiet }, publicUrl: a.url, config: a.config, jobs: a.jobs };
}
