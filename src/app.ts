import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerCatalog } from './modules/catalog/index.ts';
import { registerFloor } from './modules/floor/index.ts';
import { registerInsights, systemErrorSink } from './modules/insights/index.ts';
import { registerLive } from './modules/live/index.ts';
import { registerNotifications } from './modules/notifications/index.ts';
import { registerPayments } from './modules/payments/index.ts';
import { registerPrinting } from './modules/printing/index.ts';
import { floorFigures, registerSales } from './modules/sales/index.ts';
import { registerStations } from './modules/stations/index.ts';
import { registerStorefront } from './modules/storefront/index.ts';
import { registerTenancy, tenancyAuthResolver } from './modules/tenancy/index.ts';
import { AdjustableClock, type Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { migrationsCurrent } from './platform/db/migrate.ts';
import type { Database } from './platform/db/tx.ts';
import { streamRoutes } from './platform/events/routes.ts';
import type { StreamHub } from './platform/events/stream.ts';
import { registerAuth } from './platform/http/auth.ts';
import { registerProblemHandlers, sendProblem } from './platform/http/problem.ts';
import type { Jobs } from './platform/jobs/index.ts';
import { loggerOptions } from './platform/logger.ts';
import type { Permission } from './platform/permissions.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  clock: Clock;
  hub: StreamHub;
  jobs: Pick<Jobs, 'enqueue'>;
  mailerEnabled: boolean;
  publicUrl: string;
}

/** Every registered route with the action it performs (tests check the permission table against it). */
export interface RouteInfo {
  method: string;
  url: string;
  permission?: Permission;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteInfo[];
  }
}

const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');

/** Registers the platform plugins and each module's routes. Listening is the caller's job. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.config.logLevel),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: deps.config.production,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
  });
  const routeTable: RouteInfo[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: r.url, permission: r.config?.permission, public: r.config?.public ?? false });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Comptoir API', version: '1', description: 'Point of sale and order operations. Errors are application/problem+json.' },
      components: {
        securitySchemes: {
          cookie: { type: 'apiKey', in: 'cookie', name: 'comptoir_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ cookie: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  if (deps.config.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: deps.config.rateLimitPerMinute,
      timeWindow: 60_000,
      allowList: (req) => !req.url.startsWith('/api/') || /^\/api\/v1\/(health|ready)\b|\/stream(\?|$)/.test(req.url),
      errorResponseBuilder: (_req, ctx) => Object.assign(new Error('rate limited'), { statusCode: 429, retryAfter: ctx.after }),
    });
  }
  registerProblemHandlers(app, systemErrorSink(deps));
  registerAuth(app, tenancyAuthResolver(deps.db, deps.clock));

  platformRoutes(app, deps);
  registerTenancy(app, deps);
  registerCatalog(app, deps);
  registerNotifications(app, deps);
  registerStorefront(app, deps, deps.config.rateLimitPerMinute);
  registerFloor(app, deps, floorFigures);
  registerSales(app, deps);
  registerStations(app, deps);
  registerPayments(app, deps);
  registerPrinting(app, deps);
  registerInsights(app, deps);
  registerLive(app, deps);
  streamRoutes(app, deps);
  await webApp(app);
  return app;
}

function platformRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get('/api/v1/health', { config: { public: true }, schema: { tags: ['platform'], summary: 'The process is up' } }, async () => ({
    status: 'ok',
  }));
  app.get('/api/v1/ready', { config: { public: true }, schema: { tags: ['platform'], summary: 'Database reachable and migrations current' } }, async (_req, reply) => {
    try {
      const current = await migrationsCurrent(deps.db.pool);
      if (!current) return sendProblem(reply, 503, 'not_ready', { params: { reason: 'migrations_pending' } });
      return { status: 'ready' };
    } catch {
      return sendProblem(reply, 503, 'not_ready', { params: { reason: 'database_unreachable' } });
    }
  });
  if (deps.config.testHooks && deps.clock instanceof AdjustableClock) {
    const clock = deps.clock;
    app.post('/api/v1/__test/clock', {
      config: { public: true },
      schema: {
        tags: ['test'],
        summary: 'Move the business clock (COMPTOIR_TEST_HOOKS=1 only)',
        body: z.object({ now: z.iso.datetime().optional(), advanceMinutes: z.number().optional(), reset: z.boolean().optional() }),
      },
    }, async (req) => {
      const body = req.body as { now?: string; advanceMinutes?: number; reset?: boolean };
      if (body.reset) clock.reset();
      if (body.now) clock.set(new Date(body.now));
      if (body.advanceMinutes) clock.advanceMinutes(body.advanceMinutes);
      return { now: clock.now().toISOString() };
    });
    // A request that takes a while, to test graceful shutdown with a request in flight.
    app.get('/api/v1/__test/slow', { config: { public: true }, schema: { tags: ['test'], querystring: z.object({ ms: z.coerce.number().int().min(0).max(10_000) }) } }, async (req) => {
      await new Promise((r) => setTimeout(r, (req.query as { ms: number }).ms));
      return { done: true };
    });
  }
}

/** Serves the built React app, with index.html for client-side routes. */
async function webApp(app: FastifyInstance) {
  const hasBuild = fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: false,
      // The offline till's service worker and the shell it caches: always revalidated, so a deploy reaches tills at once.
      setHeaders: (reply, filePath) => {
        if (/[\\/](sw\.js|index\.html)$/.test(filePath)) reply.header('cache-control', 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && !req.url.startsWith('/api/') && hasBuild) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(reply, 404, 'not_found');
  });
}
