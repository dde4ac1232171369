import type { DashboardFilter, DashboardMetric } from '@switchboard/protocol';
import { DashboardChannelSchema, DashboardMetricSchema, DashboardPeriodSchema } from '@switchboard/protocol';

const DAY = 86_400_000;

/** What the dashboard's URL holds (shareable): period (custom as YYYY-MM-DD dates, end inclusive), filters, metric. */
export interface DashboardView {
  filter: DashboardFilter;
  metric: DashboardMetric;
  /** The custom period's first and last day (UTC), as typed. */
  fromDay: string;
  toDay: string;
}

const dayMs = (day: string): number | undefined => {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) ? t : undefined;
};

/** Read the view from the query string; anything unknown falls back to the defaults. */
export function readView(params: URLSearchParams): DashboardView {
  const period = DashboardPeriodSchema.safeParse(params.get('period')).data ?? '7d';
  const channel = DashboardChannelSchema.safeParse(params.get('channel')).data;
  const metric = DashboardMetricSchema.safeParse(params.get('metric')).data ?? 'conversationsStarted';
  const fromDay = params.get('from') ?? '';
  const toDay = params.get('to') ?? '';
  const from = dayMs(fromDay);
  const toStart = dayMs(toDay);
  const filter: DashboardFilter =
    period === 'custom' && from !== undefined && toStart !== undefined && toStart >= from
      ? { period, from, to: toStart + DAY }
      : { period: period === 'custom' ? '7d' : period };
  const agentId = params.get('agent');
  const topic = params.get('topic')?.trim();
  return {
    filter: {
      ...filter,
      ...(agentId ? { agentId } : {}),
      ...(topic ? { topic } : {}),
      ...(channel ? { channel } : {}),
    },
    metric,
    fromDay,
    toDay,
  };
}

/** Change some keys of the query string (empty values are removed). */
export function withParams(params: URLSearchParams, change: Record<string, string | undefined>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(change)) {
    if (v) next.set(k, v);
    else next.delete(k);
  }
  return next;
}

/** A time series interval that keeps the number of points readable for the period. */
export function intervalFor(filter: DashboardFilter): 'hour' | 'day' | 'week' {
  if (filter.period === 'today') return 'hour';
  if (filter.period === 'custom' && filter.from !== undefined && filter.to !== undefined) {
    const days = (filter.to - filter.from) / DAY;
    return days <= 2 ? 'hour' : days <= 120 ? 'day' : 'week';
  }
  return 'day';
}
