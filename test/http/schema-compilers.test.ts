import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from '../../src/http/schema-compilers.js';

describe('Fastify schema compilers loaded on first use', () => {
  it('still validate a request and serialize a reply when a route declares schemas', async () => {
    const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers } });
    app.get(
      '/n',
      {
        schema: {
          querystring: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] },
          response: { 200: { type: 'object', properties: { twice: { type: 'integer' } } } },
        },
      },
      async (request) => ({ twice: (request.query as { n: number }).n * 2, dropped: 'not in the response schema' }),
    );
    try {
      const ok = await app.inject({ url: '/n?n=21' });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toBe('{"twice":42}');
      const bad = await app.inject({ url: '/n?n=0' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' });
    } finally {
      await app.close();
    }
  });
});
