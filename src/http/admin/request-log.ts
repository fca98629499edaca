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
  /** Where the next record goes once the ring is full (the oldest one's place). */
  private next = 0;
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
    // A ring: the oldest record is overwritten in place (no array shift per request once full).
    if (this.records.length < this.capacity) this.records.push(record);
    else this.records[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    for (const listener of this.listeners) listener(record);
    return record;
  }

  recent(limit = this.capacity): RequestRecord[] {
    const inOrder =
      this.records.length < this.capacity ? this.records : [...this.records.slice(this.next), ...this.records.slice(0, this.next)];
    return inOrder.slice(-limit);
  }

  subscribe(listener: (record: RequestRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.records.length = 0;
    this.next = 0;
  }
}
