// Fastify's route-schema compilers (ajv and fast-json-stringify, ~100 modules and ~3 MiB) load when a route first
// declares a schema. The emulator's routes declare none, so at idle they are never loaded; Fastify's defaults would
// load them at startup.
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;

/** Fastify's own dependencies, resolved from where Fastify is installed (they are not ours to name in package.json). */
const fromFastify = (id: string): unknown => createRequire(createRequire(import.meta.url).resolve('fastify'))(id);

let validator: ValidatorFactory | undefined;
let serializer: SerializerFactory | undefined;

/** `schemaController.compilersFactory` with Fastify's defaults, each loaded on first use. */
export const lazySchemaCompilers: CompilersFactory = {
  buildValidator: (...args) => (validator ??= (fromFastify('@fastify/ajv-compiler') as () => ValidatorFactory)())(...args),
  buildSerializer: (...args) =>
    (serializer ??= (fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)())(...args),
};
