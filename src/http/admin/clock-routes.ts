import type { FastifyInstance } from 'fastify';
import { parseDuration, parseInstant, type ControlledClock } from '../../shared/clock.js';
import { invalidArgument, optionalBoolean, requestFields } from './admin-json.js';

/**
 * `GET /-/clock` reads the emulator clock; `PUT /-/clock` moves it. Fields (JSON body or query), applied in this order:
 * `real: true` (back to real time), `frozen: true` (freeze), `now` (absolute: ISO 8601 or epoch ms), `advance` (ms or
 * '90s', '1h30m', 'PT1H'), `frozen: false` (resume). Both answer the clock state.
 */
export function registerClockRoutes(app: FastifyInstance, clock: ControlledClock): void {
  app.get('/-/clock', async (_request, reply) => reply.header('cache-control', 'no-store').send(clock.state()));

  app.put('/-/clock', async (request, reply) => {
    const fields = await requestFields(request);
    const unknown = Object.keys(fields).filter((k) => !['real', 'now', 'advance', 'frozen'].includes(k));
    if (unknown.length) throw invalidArgument(`unknown field ${unknown.join(', ')} (expected now, advance, frozen, real)`);
    const real = optionalBoolean(fields, 'real');
    const frozen = optionalBoolean(fields, 'frozen');
    const now = fields.now;
    const advance = fields.advance;
    if (now !== undefined && typeof now !== 'string' && typeof now !== 'number')
      throw invalidArgument('now must be an ISO 8601 string or epoch ms');
    if (advance !== undefined && typeof advance !== 'string' && typeof advance !== 'number')
      throw invalidArgument('advance must be ms or a duration string');
    if (real === undefined && frozen === undefined && now === undefined && advance === undefined) {
      throw invalidArgument('say what to do: now, advance, frozen or real');
    }
    // Parse everything before moving anything: a bad field changes nothing.
    const nowMs = now === undefined ? undefined : parseInstant(now);
    const advanceMs = advance === undefined ? undefined : parseDuration(advance);
    if (real) clock.real();
    // Freeze before setting (frozen exactly at `now`), resume after (runs on from `now`).
    if (frozen === true) clock.freeze();
    if (nowMs !== undefined) clock.set(nowMs);
    if (advanceMs !== undefined) clock.advance(advanceMs);
    if (frozen === false) clock.resume();
    return reply.header('cache-control', 'no-store').send(clock.state());
  });
}
