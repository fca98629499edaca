import { ossErrors } from '../wire/errors.js';

/** A decoded PostObject policy: its expiry and the conditions the form must meet. */
export interface PostPolicy {
  expirationMs: number;
  conditions: PolicyCondition[];
}

export type PolicyCondition =
  | { kind: 'eq'; field: string; value: string }
  | { kind: 'starts-with'; field: string; value: string }
  | { kind: 'in' | 'not-in'; field: string; values: string[] }
  | { kind: 'content-length-range'; min: number; max: number };

const denied = (why: string) => ossErrors.accessDenied(`Invalid according to Policy: ${why}`);

const fieldName = (raw: unknown): string => {
  if (typeof raw !== 'string' || !raw.startsWith('$')) throw ossErrors.invalidPolicyDocument(`Invalid condition field: ${String(raw)}`);
  return raw.slice(1).toLowerCase();
};

/** Decodes the base64 JSON policy (InvalidPolicyDocument when it is not one). */
export function parsePostPolicy(base64: string): PostPolicy {
  let doc: { expiration?: unknown; conditions?: unknown };
  try {
    doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as typeof doc;
  } catch {
    throw ossErrors.invalidPolicyDocument('The policy is not base64-encoded JSON.');
  }
  const expirationMs = typeof doc.expiration === 'string' ? Date.parse(doc.expiration) : NaN;
  if (Number.isNaN(expirationMs)) throw ossErrors.invalidPolicyDocument('Invalid Policy: expiration must be an ISO 8601 time.');
  if (!Array.isArray(doc.conditions)) throw ossErrors.invalidPolicyDocument('Invalid Policy: conditions must be a list.');
  const conditions = doc.conditions.map((c: unknown): PolicyCondition => {
    if (Array.isArray(c)) {
      const op = String(c[0]).toLowerCase();
      if (op === 'content-length-range') {
        const [min, max] = [Number(c[1]), Number(c[2])];
        if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min)
          throw ossErrors.invalidPolicyDocument('Invalid content-length-range.');
        return { kind: 'content-length-range', min, max };
      }
      if (op === 'eq' || op === 'starts-with') return { kind: op, field: fieldName(c[1]), value: String(c[2] ?? '') };
      if (op === 'in' || op === 'not-in') {
        if (!Array.isArray(c[2])) throw ossErrors.invalidPolicyDocument(`Invalid ${op} condition.`);
        return { kind: op, field: fieldName(c[1]), values: (c[2] as unknown[]).map(String) };
      }
      throw ossErrors.invalidPolicyDocument(`Invalid condition: ${JSON.stringify(c)}`);
    }
    if (c && typeof c === 'object' && Object.keys(c).length === 1) {
      const [name, value] = Object.entries(c)[0]!;
      return { kind: 'eq', field: name.toLowerCase(), value: String(value) };
    }
    throw ossErrors.invalidPolicyDocument(`Invalid condition: ${JSON.stringify(c)}`);
  });
  return { expirationMs, conditions };
}

/** The form (and the bucket, as `bucket`) against the policy; 403 AccessDenied `Invalid according to Policy: …`. */
export function checkPostPolicy(policy: PostPolicy, fields: ReadonlyMap<string, string>, nowMs: number): void {
  if (nowMs >= policy.expirationMs) throw denied('Policy expired.');
  for (const c of policy.conditions) {
    if (c.kind === 'content-length-range') continue;
    const value = fields.get(c.field) ?? '';
    const ok =
      c.kind === 'eq'
        ? value === c.value
        : c.kind === 'starts-with'
          ? value.startsWith(c.value)
          : c.kind === 'in'
            ? c.values.includes(value)
            : !c.values.includes(value);
    if (!ok) throw denied(`Policy Condition failed: ["${c.kind}", "$${c.field}", ${JSON.stringify('value' in c ? c.value : c.values)}]`);
  }
}

/** The content-length-range of a policy (the size is known only once the file has been read). */
export function sizeRange(policy: PostPolicy | undefined): { min: number; max: number } | undefined {
  const c = policy?.conditions.find((x) => x.kind === 'content-length-range');
  return c && c.kind === 'content-length-range' ? { min: c.min, max: c.max } : undefined;
}
