import type { Config } from '../config.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from './embedded.ts';

export interface DatabaseTarget {
  url: string;
  embedded: EmbeddedServer | null;
  /** For the start-up line: never prints a password. */
  label: string;
}

/** DATABASE_URL when set; otherwise the embedded server in COMPTOIR_DATA_DIR. */
export async function connectTarget(config: Config, log: (m: string) => void, attach = false): Promise<DatabaseTarget> {
  if (config.databaseUrl) {
    const u = new URL(config.databaseUrl);
    return { url: config.databaseUrl, embedded: null, label: `postgres://${u.hostname}:${u.port || 5432}${u.pathname}` };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, database: 'comptoir', log, attach });
  return { url: embedded.url(), embedded, label: `embedded PostgreSQL on 127.0.0.1:${embedded.port} (${config.dataDir}/pg)` };
}
