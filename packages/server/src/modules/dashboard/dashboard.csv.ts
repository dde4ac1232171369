import type { DashboardKpis, DashboardSummary, DashboardTimeseries } from '@switchboard/protocol';

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; formula-looking text defused. */
export function csvField(v: string | number | boolean | null): string {
  if (v === null) return '';
  let s = String(v);
  // A cell starting with = + - @ is run as a formula by spreadsheets; names come from users.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const line = (fields: (string | number | boolean | null)[]) => `${fields.map(csvField).join(',')}\r\n`;
const iso = (t: number) => new Date(t).toISOString();

/** The summary as CSV: one `kpi` row per KPI (current and previous period), escalation reasons, agents. */
export function summaryCsv(s: DashboardSummary): string {
  let out = line(['section', 'name', 'value', 'previous', 'from', 'to']);
  for (const k of Object.keys(s.kpis) as (keyof DashboardKpis)[])
    out += line(['kpi', k, s.kpis[k], s.previous[k], iso(s.range.from), iso(s.range.to)]);
  for (const e of s.escalationsByReason) out += line(['escalation_reason', e.reason, e.count, null, null, null]);
  out += line(['active_agents', 'online', s.activeAgents, null, null, null]);
  out += line(['agent', 'name', 'online', 'load', 'handled', 'resolved', 'csat_average']);
  for (const a of s.agents) out += line(['agent', a.name, a.online, a.load, a.handled, a.resolved, a.csatAverage]);
  return out;
}

/** A time series as CSV: bucket start (ISO and epoch ms) and value. */
export function timeseriesCsv(t: DashboardTimeseries): string {
  let out = line(['start', 't', t.metric]);
  for (const p of t.points) out += line([iso(p.t), p.t, p.value]);
  return out;
}
