import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  COMPTOIR_DATA_DIR: z.string().default('.data'),
  COMPTOIR_PUBLIC_URL: z.string().url().optional(),
  COMPTOIR_JOBS: z.enum(['on', 'off']).default('on'),
  COMPTOIR_REGISTRATION: z.enum(['open', 'closed']).default('open'),
  COMPTOIR_DEMO_SEED: bool.default(true),
  COMPTOIR_TEST_HOOKS: bool.default(false),
  COMPTOIR_RATE_LIMIT: z.coerce.number().int().min(0).default(600),
  COMPTOIR_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  COMPTOIR_SESSION_DAYS: z.coerce.number().int().min(1).default(30),
  COMPTOIR_ALERT_EMAIL: z.string().email().optional(),
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().default('Comptoir <no-reply@comptoir.local>'),
  COMPTOIR_SECRET_KEY: z.string().min(32).optional(),
  STRIPE_API_BASE: z.string().url().optional(),
  MOBILE_MONEY_URL: z.string().url().optional(),
  SMS_URL: z.string().url().optional(),
  SMS_API_KEY: z.string().optional(),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  PAYMENTS_LOG_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  publicUrl?: string;
  secureCookies: boolean;
  jobs: boolean;
  registrationOpen: boolean;
  demoSeed: boolean;
  testHooks: boolean;
  rateLimitPerMinute: number;
  loginMaxFailures: number;
  sessionDays: number;
  alertEmail?: string;
  smtpUrl?: string;
  smtpFrom: string;
  /** Seals provider credentials at rest (outside production a key file in the data dir stands in). */
  secretKey?: string;
  stripeApiBase?: string;
  mobileMoneyUrl?: string;
  smsUrl?: string;
  smsApiKey?: string;
  providerTimeoutMs: number;
  logLevel: string;
  /** Where the payments logger writes (stdout when unset). */
  paymentsLogFile?: string;
  production: boolean;
};

/** Parses the environment once; throws listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && e.COMPTOIR_TEST_HOOKS) {
    throw new ConfigError('Invalid configuration:\n  COMPTOIR_TEST_HOOKS: must not be set in production');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.COMPTOIR_DATA_DIR),
    publicUrl: e.COMPTOIR_PUBLIC_URL,
    secureCookies: e.COMPTOIR_PUBLIC_URL?.startsWith('https:') ?? false,
    jobs: e.COMPTOIR_JOBS === 'on',
    registrationOpen: e.COMPTOIR_REGISTRATION === 'open',
    demoSeed: e.COMPTOIR_DEMO_SEED,
    testHooks: e.COMPTOIR_TEST_HOOKS,
    rateLimitPerMinute: e.COMPTOIR_RATE_LIMIT,
    loginMaxFailures: e.COMPTOIR_LOGIN_MAX_FAILURES,
    sessionDays: e.COMPTOIR_SESSION_DAYS,
    alertEmail: e.COMPTOIR_ALERT_EMAIL,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    secretKey: e.COMPTOIR_SECRET_KEY,
    stripeApiBase: e.STRIPE_API_BASE,
    mobileMoneyUrl: e.MOBILE_MONEY_URL,
    smsUrl: e.SMS_URL,
    smsApiKey: e.SMS_API_KEY,
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    paymentsLogFile: e.PAYMENTS_LOG_FILE,
    production,
  };
}

export class ConfigError extends Error {}
