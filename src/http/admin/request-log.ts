/** What is known of an OSS request once it is answered: noted on its way by the OSS front (its OssExchange). */
export interface RequestFacts {
  id: string;
  method: string;
  url: string;
  operation: string | undefined;
  bucket: string | undefined;
  key: string | undefined;
  /** OSS error Code / Message / EC of an error answer. */
  code: string | undefined;
  message: string | undefined;
  ec: string | undefined;
  /** True when an injected fault (POST /-/faults) produced this answer. */
  injected: boolean;
}

/** One OSS API request as the console's request log shows it. */
export interface RequestRecord extends RequestFacts {
  /** Epoch ms when the answer was sent. */
  time: number;
  status: number;
  ms: number;
}

/** An answered request as the OSS front hands it to the log. */
export interface AnsweredRequest extends RequestFacts {
  /** performance.now() when the request arrived. */
  startMs: number;
}

/** The last `capacity` OSS API requests (admin and console requests are not OSS requests), newest last. */
export class RequestLog {
  private readonly records: RequestRecord[] = [];
  private readonly listeners = new Set<(record: RequestRecord) => void>();

  constructor(private readonly capacity = 200) {}

  /** Keeps an answered OSS request (what the pipeline and the error reply noted on its exchange). */
  record(exchange: AnsweredRequest, status: number, nowMs: number): RequestRecord {
    const url = exchange.url;
    const record: RequestRecord = {
      id: exchange.id,
      time: nowMs,
      method: exchange.method,
      url: url.length > 300 ? `${url.slice(0, 300)}…` : url,
      operation: exchange.operation,
      bucket: exchange.bucket,
      key: exchange.key,
      status,
      code: exchange.code,
      message: exchange.message,
      ec: exchange.ec,
      ms: Math.round(performance.now() - exchange.startMs),
      injected: exchange.injected,
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
