import type { FastifyReply, FastifyRequest } from 'fastify';

/** One OSS API request as the console's request log shows it. */
export interface RequestRecord {
  id: string;
  /** Epoch ms when the answer was sent. */
  time: number;
  method: string;
  url: string;
  operation: string | undefined;
  bucket: string | undefined;
  key: string | undefined;
  status: number;
  /** OSS error Code / Message / EC of an error answer. */
  code: string | undefined;
  message: string | undefined;
  ec: string | undefined;
  ms: number;
  /** True when an injected fault (POST /-/faults) produced this answer. */
  injected: boolean;
}

interface Facts {
  operation?: string;
  bucket?: string;
  key?: string;
  code?: string;
  message?: string;
  ec?: string;
  injected?: boolean;
}

const facts = new WeakMap<FastifyRequest, Facts>();

/** The pipeline and the error reply note what they learnt about a request; the log reads it when the answer is sent. */
export function noteRequest(request: FastifyRequest, learnt: Facts): void {
  facts.set(request, { ...facts.get(request), ...learnt });
}

/** The last `capacity` OSS API requests (admin and console requests are not OSS requests), newest last. */
export class RequestLog {
  private readonly records: RequestRecord[] = [];
  private readonly listeners = new Set<(record: RequestRecord) => void>();

  constructor(private readonly capacity = 200) {}

  record(request: FastifyRequest, reply: FastifyReply, nowMs: number): RequestRecord {
    const f = facts.get(request) ?? {};
    const record: RequestRecord = {
      id: request.id,
      time: nowMs,
      method: request.method,
      url: request.url.length > 300 ? `${request.url.slice(0, 300)}…` : request.url,
      operation: f.operation,
      bucket: f.bucket,
      key: f.key,
      status: reply.statusCode,
      code: f.code,
      message: f.message,
      ec: f.ec,
      ms: Math.round(reply.elapsedTime),
      injected: f.injected === true,
    };
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
    for (const listener of this.listeners) listener(record);
    return record;
  }

  recent(limit = this.capacity): RequestRecord[] {
    return this.records.slice(-limit);
  }

  subscribe(listener: (record: RequestRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.records.length = 0;
  }
}
