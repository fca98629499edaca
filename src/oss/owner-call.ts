import { Readable } from 'node:stream';
import type { OperationName } from './detect-operation.js';
import type { Operation, OperationContext, OperationServices, OssReply } from './operation.js';
import { ossErrors } from './wire/errors.js';

/** One OSS request made from inside the emulator (web console, --init seed) on behalf of the account owner. */
export interface OwnerCall {
  method: string;
  bucket: string;
  key?: string;
  query?: ReadonlyArray<readonly [string, string]>;
  headers?: Record<string, string>;
  body?: Buffer;
}

/**
 * Runs `operation` through the same operation code an SDK request reaches (same validation, same errors), as the
 * owner: the pipeline's resolve/authenticate steps are skipped because the caller is the emulator itself.
 */
export function invokeAsOwner(
  operations: Record<OperationName, Operation>,
  services: OperationServices,
  operation: OperationName,
  call: OwnerCall,
  publicHost: string,
): Promise<OssReply> {
  const body = call.body ?? Buffer.alloc(0);
  const ctx: OperationContext = {
    operation,
    method: call.method,
    bucket: call.bucket,
    key: call.key ?? '',
    query: call.query ?? [],
    headers: { 'content-length': String(body.length), ...call.headers },
    principal: { kind: 'user', accessKeyId: services.config.credentials[0]!.accessKeyId },
    pathStyle: true,
    publicHost,
    services,
    readBody: async (maxBytes) => {
      if (body.length > maxBytes) throw ossErrors.entityTooLarge(maxBytes);
      return body;
    },
    bodyStream: Readable.from([body]),
  };
  return Promise.resolve(operations[operation](ctx));
}
