import type { Role } from '@switchboard/protocol';

/** What the setup step creates: `members` index into the users (the first member creates the conversation). */
export interface SeedSpec {
  users: number;
  /** User `i` belongs to org `floor(i / orgSize)`; a conversation's members must share an org. */
  orgSize: number;
  role: Role;
  /** Users who get the `agent` role whatever `role` says (conversation creators must be staff). */
  agents?: number[];
  conversations: { kind: 'direct' | 'group'; members: number[] }[];
  /** `demo`: import the demo help articles into every org (for the AI scenarios). */
  kb?: 'demo';
  /** Task types every org enables (production does not offer `demo.sleep` unless an admin enables it). */
  taskTypes?: string[];
}

export interface SeedOutput {
  orgIds: string[];
  users: { id: string; token: string }[];
  /** `startSeq`: the conversation's last seq before the run (member events of the setup). */
  conversations: { id: string; members: number[]; startSeq: number }[];
}

/** Latency percentiles in milliseconds. */
export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Server process figures over the measured window. */
export interface ServerStats {
  /** CPU time / wall time, in % of one core (100 = one core busy). */
  cpuPercent: number;
  /** Time the main thread was runnable but waiting for a CPU, in % of wall time: other load on its core. */
  runQueueWaitPercent: number;
  rssMaxMiB: number;
  rssEndMiB: number;
  /** Per-second samples of the server's event-loop delay p99 (`nodejs_eventloop_lag_p99_seconds`). */
  eventLoopP99MaxMs: number | null;
  eventLoopP99MeanMs: number | null;
  samples: number;
}

/** The load generator's own state: when it is saturated, latencies are partly its own. */
export interface GeneratorStats {
  cpuPercent: number;
  runQueueWaitPercent: number;
  eventLoopP99Ms: number;
  rssMaxMiB: number;
}

/** One measured run of a scenario against one server (Switchboard or the bare Socket.IO baseline). */
export interface RunResult {
  target: 'switchboard' | 'baseline';
  storage: 'sqlite' | 'postgres' | 'none';
  /** Scenario-specific label, e.g. `rate=2000/s` for a step of a rising-rate scenario. */
  label: string;
  durationS: number;
  sendsPerS: number;
  deliveriesPerS: number;
  sends: { scheduled: number; acked: number; failed: number };
  /** Send (scheduled time) → ack. */
  ackLatency: Latency | null;
  /** Send (scheduled time) → arrival at each receiver. */
  deliveryLatency: Latency | null;
  deliveries: { expected: number; received: number; lost: number; duplicated: number; reordered: number };
  server: ServerStats;
  generator: GeneratorStats;
  /** Scenario-specific figures (e.g. reconnect-storm's resume times, idle's RSS per connection). */
  extra: Record<string, number | string | boolean | null | Latency>;
}

export interface ScenarioResult {
  name: string;
  description: string;
  params: Record<string, number | string | boolean>;
  runs: RunResult[];
  /** Switchboard / baseline for the headline figure of each matching run. */
  ratios: Record<string, number | null>;
  targets: { name: string; target: string; measured: string; met: boolean | null }[];
  error?: string;
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  mode: 'quick' | 'full';
  machine: { cpus: number; cpuModel: string; memGiB: number; node: string; loadAvgAtStart: number[] };
  pinning: { server: string; generator: string };
  git: { commit: string; uncommittedFiles: number };
  notes: string[];
  scenarios: ScenarioResult[];
}
