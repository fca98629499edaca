/** A row as better-sqlite3 returns it: column name -> value. */
export type SqlRow = Record<string, unknown>;

/** How one column becomes a field: as stored, NULL as undefined, JSON text, or JSON text with NULL/'' as undefined. */
export type ColumnDecode = 'value' | 'nullable' | 'json' | 'nullable-json';

const columnOf = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The one rule from table rows to typed rows, for every table of the store: each field is read from the column named
 * as its snake_case (`lastModifiedMs` <- `last_modified_ms`), decoded as declared. Listing every field (the type
 * demands all of them) keeps columns a row does not declare out of it.
 */
export function rowReader<T>(fields: { readonly [K in keyof T]-?: ColumnDecode }): (raw: SqlRow) => T {
  const plan = Object.entries(fields as Record<string, ColumnDecode>).map(([field, decode]) => [field, columnOf(field), decode] as const);
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const [field, column, decode] of plan) {
      const value = raw[column];
      if (decode === 'value') row[field] = value;
      else if (decode === 'nullable') row[field] = value ?? undefined;
      else if (decode === 'json') row[field] = JSON.parse(value as string);
      else row[field] = value ? JSON.parse(value as string) : undefined;
    }
    return row as T;
  };
}
