import type { Config } from '../../platform/config.ts';
import type { HttpDeps } from '../../platform/http/command.ts';
import type { Jobs } from '../../platform/jobs/index.ts';

export interface TenancyDeps extends HttpDeps {
  config: Pick<Config, 'registrationOpen' | 'sessionDays' | 'secureCookies' | 'loginMaxFailures'>;
  jobs: Pick<Jobs, 'enqueue'>;
  mailerEnabled: boolean;
  publicUrl: string;
}
