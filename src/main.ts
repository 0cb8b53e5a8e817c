import { seedDemo } from './modules/tenancy/index.ts';
import { ConfigError, loadConfig } from './platform/config.ts';
import { connectTarget } from './platform/db/connect.ts';
import { migrate } from './platform/db/migrate.ts';
import { createRuntime } from './runtime.ts';

/** Process entry: config -> database -> migrations -> (demo seed) -> app -> listen. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const quiet = (m: string) => {
    if (config.logLevel === 'debug' || config.logLevel === 'trace') console.error(m);
  };
  const target = await connectTarget(config, quiet);
  let stopping = false;
  try {
    await migrate(target.url, quiet);
    const runtime = await createRuntime(config, target.url);
    if (target.embedded && config.demoSeed) {
      await seedDemo({ db: runtime.db, clock: runtime.clock, log: (m) => runtime.app.log.info(m) });
    }
    const address = await runtime.app.listen({ port: config.port, host: config.host });
    const shown = address.replace(/0\.0\.0\.0|127\.0\.0\.1|\[::1?\]/, 'localhost');
    console.log(`Comptoir listening on ${shown} — database: ${target.label}`);
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      runtime.app.log.info({ signal }, 'shutting down');
      await runtime.stop();
      await target.embedded?.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (err) {
    console.error(err);
    await target.embedded?.stop();
    process.exit(1);
  }
}

void main();
