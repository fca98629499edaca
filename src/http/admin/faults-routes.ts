import type { FastifyInstance } from 'fastify';
import { FaultSpecError, type FaultRule, type FaultRules, type FaultRuleSpec } from '../../faults/fault-rules.js';
import { invalidArgument, notFound, readJsonBody } from './admin-json.js';

const view = (rule: FaultRule) => ({
  ...rule,
  expiresAt: rule.expiresAtMs === undefined ? null : new Date(rule.expiresAtMs).toISOString(),
});

/**
 * `POST /-/faults` adds a rule (201 with it, id included), `GET /-/faults` lists the active ones, `DELETE /-/faults`
 * removes all, `DELETE /-/faults/{id}` one. Rule shape: FaultRuleSpec in src/faults/fault-rules.ts.
 */
export function registerFaultRoutes(app: FastifyInstance, faults: FaultRules): void {
  app.post('/-/faults', async (request, reply) => {
    const body = await readJsonBody(request);
    let rule: FaultRule;
    try {
      rule = faults.add(body as unknown as FaultRuleSpec);
    } catch (err) {
      if (err instanceof FaultSpecError) throw invalidArgument(err.message);
      throw err;
    }
    return reply.code(201).header('cache-control', 'no-store').send(view(rule));
  });

  app.get('/-/faults', async (_request, reply) => reply.header('cache-control', 'no-store').send({ faults: faults.list().map(view) }));

  app.delete('/-/faults', async () => ({ removed: faults.clear() }));

  app.delete<{ Params: { id: string } }>('/-/faults/:id', async (request, reply) => {
    const id = Number(request.params.id);
    if (!Number.isInteger(id)) throw invalidArgument('a fault id is an integer');
    if (!faults.remove(id)) throw notFound(`no fault rule ${request.params.id}`);
    return reply.code(204).send();
  });
}
