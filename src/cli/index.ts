import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { createCompany } from '../modules/tenancy/companies.ts';
import { createUser, DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../modules/tenancy/index.ts';
import { systemClock } from '../platform/clock.ts';
import { loadConfig } from '../platform/config.ts';
import { connectTarget, type DatabaseTarget } from '../platform/db/connect.ts';
import { migrate } from '../platform/db/migrate.ts';
import { createDatabase, type Database, inTransaction } from '../platform/db/tx.ts';
import { findJob, type JobDeps, Jobs, jobNames } from '../platform/jobs/index.ts';
import '../platform/jobs/platform-jobs.ts';
import '../modules/catalog/index.ts';
import '../modules/notifications/index.ts';
import '../modules/storefront/index.ts';
import '../modules/floor/index.ts';
import '../modules/sales/index.ts';
import '../modules/payments/index.ts';
import '../modules/live/index.ts';
import '../modules/insights/index.ts';
import { createMailer } from '../platform/mail.ts';
import { ROLES, type Role } from '../platform/permissions.ts';

/** Opens the database (attaching to a running embedded server if there is one), migrated. */
async function withDatabase<T>(fn: (db: Database, target: DatabaseTarget) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const target = await connectTarget(config, () => {}, true);
  try {
    await migrate(target.url);
    const db = createDatabase(target.url, 4);
    try {
      return await fn(db, target);
    } finally {
      await db.close();
    }
  } finally {
    await target.embedded?.stop();
  }
}

const program = new Command('comptoir').description('Comptoir command line');

program.command('migrate').description('Apply pending database migrations').action(async () => {
  const config = loadConfig();
  const target = await connectTarget(config, () => {}, true);
  try {
    const applied = await migrate(target.url, console.log);
    console.log(applied.length ? `applied ${applied.length} migration(s)` : 'migrations are current');
  } finally {
    await target.embedded?.stop();
  }
});

program
  .command('seed')
  .description('Seed data')
  .requiredOption('--demo', 'the demo company with one user per role')
  .action(async () => {
    await withDatabase(async (db) => {
      const seeded = await seedDemo({ db, clock: systemClock, log: console.log });
      if (!seeded) console.log('the demo company already exists');
      else for (const u of DEMO_USERS) console.log(`${u.role.padEnd(8)} ${u.email} / ${DEMO_PASSWORD}`);
    });
  });

program
  .command('create-user')
  .description('Create an account')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .requiredOption('--password <password>')
  .action(async (o: { email: string; name: string; password: string }) => {
    await withDatabase(async (db) => {
      const user = await inTransaction(db, { kind: 'anonymous' }, (tx) => createUser(tx, systemClock, o));
      console.log(JSON.stringify(user));
    });
  });

program
  .command('create-company')
  .description('Create a company owned by an existing account')
  .requiredOption('--name <name>')
  .requiredOption('--owner <email>', 'e-mail of the owner account')
  .option('--slug <slug>')
  .option('--currency <code>', 'ISO 4217', 'XOF')
  .option('--timezone <tz>', 'IANA time zone', 'Africa/Abidjan')
  .action(async (o: { name: string; owner: string; slug?: string; currency: string; timezone: string }) => {
    await withDatabase(async (db) => {
      const { rows } = await db.pool.query('SELECT id FROM users WHERE lower(email) = lower($1)', [o.owner]);
      if (!rows[0]) throw new Error(`no account with e-mail ${o.owner}`);
      const companyId = randomUUID();
      const company = await inTransaction(db, { kind: 'company', companyId, userId: rows[0].id }, (tx) =>
        createCompany({ companyId, actor: { type: 'system', id: 'cli' }, clock: systemClock, tx }, rows[0].id, o),
      );
      console.log(JSON.stringify(company));
    });
  });

program
  .command('add-member')
  .description('Give an existing account a role in a company')
  .requiredOption('--company <slug>')
  .requiredOption('--email <email>')
  .requiredOption('--role <role>', ROLES.join('|'))
  .action(async (o: { company: string; email: string; role: Role }) => {
    if (!ROLES.includes(o.role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
    await withDatabase(async (db) => {
      const { rowCount } = await db.pool.query(
        `INSERT INTO memberships (company_id, user_id, role, created_at)
         SELECT c.id, u.id, $3, $4::timestamptz FROM companies c, users u WHERE c.slug = $1 AND lower(u.email) = lower($2)
         ON CONFLICT (company_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [o.company, o.email, o.role, systemClock.now()],
      );
      if (!rowCount) throw new Error('unknown company slug or e-mail');
      console.log(`${o.email} is ${o.role} of ${o.company}`);
    });
  });

program
  .command('jobs:run')
  .argument('<name>', 'job name')
  .description(`Run a job once, now (${jobNames().join(', ')})`)
  .option('--data <json>', 'job data as JSON', '{}')
  .action(async (name: string, o: { data: string }) => {
    const job = findJob(name);
    if (!job) throw new Error(`unknown job ${name}; known: ${jobNames().join(', ')}`);
    const config = loadConfig();
    await withDatabase(async (db, target) => {
      const mailer = createMailer(config.smtpUrl, config.smtpFrom);
      const log = { info: console.log, warn: console.warn, error: console.error };
      const deps: JobDeps = { db, clock: systemClock, mailer, log, publicUrl: config.publicUrl ?? `http://localhost:${config.port}`, config, jobs: undefined as unknown as Jobs };
      // Work a job enqueues (a receipt, a refund) goes to the queue for the running instances.
      const queue = new Jobs(target.url, deps, { work: false });
      await queue.start();
      deps.jobs = queue;
      try {
        await job.handler(deps, JSON.parse(o.data));
      } finally {
        await queue.stop();
        mailer.close();
      }
      console.log(`job ${name} done`);
    });
  });

program.parseAsync().catch((err: Error) => {
  console.error(`comptoir: ${err.message}`);
  process.exit(1);
});
