// What every benchmark hands back: markdown tables (pasted as-is into RESULTS.md), notes, and target checks.

export interface Table {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export interface BenchReport {
  name: string;
  tables: Table[];
  checks: TargetCheck[];
  notes: string[];
}

export function renderTable(table: Table): string {
  const cells = [table.columns, ...table.rows.map((r) => r.map(String))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `**${table.title}**`,
    '',
    line(cells[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function renderReport(report: BenchReport): string {
  const parts = [`### ${report.name}`, ...report.tables.map(renderTable)];
  if (report.checks.length) {
    parts.push(report.checks.map((c) => `- target ${c.target}: ${c.measured} — **${c.met ? 'met' : 'NOT met'}**`).join('\n'));
  }
  if (report.notes.length) parts.push(report.notes.map((n) => `- ${n}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

/** Fixed decimals; '—' for NaN/undefined. */
export const fmt = (v: number | undefined, digits = 1): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
export const mib = (bytes: number): string => fmt(bytes / 1024 / 1024, 0);
