/**
 * The demo's team plan, as data: a small trading-system build-out (market data, options
 * pricing, greeks, risk, backtesting, research, a dashboard, CI and deploy) with chains up to
 * nine deep, fan-in and fan-out, every priority, estimates from 30m to 1w and five people or
 * agents. Tasks are listed in dependency order (every dependency comes earlier), so the demo
 * can create them in waves. `STORY` names the tasks the walkthrough talks about.
 */
import type { Priority } from '../schema/fields.js';

export interface DemoTask {
  id: string;
  title: string;
  priority: Priority;
  dependsOn?: string[];
  assignee?: string;
  labels: string[];
  estimate: string;
  /** Due this many days after the day the demo runs (dates in the plan never go stale). */
  dueInDays?: number;
  /** Where the demo leaves the task before the walkthrough starts (default todo). */
  status?: 'in_progress' | 'done';
  /** Acceptance criteria are ticked (`- [x]`): done tasks, and work about to be finished. */
  ticked?: boolean;
  summary: string;
  criteria: string[];
}

export const STORY = {
  /**
   * The hand-edit that closes a loop: `task` gains a dependency on `addDep`, which already
   * waits (through risk-limits) on `task`: risk-policy -> risk-killswitch -> risk-limits ->
   * risk-policy, the only cycle that edit makes.
   */
  cycle: { task: 'risk-policy', addDep: 'risk-killswitch' },
  /** In-progress tasks finished in step 6; each makes new work ready. */
  finish: ['md-feed-cme', 'px-bs'],
  /** The task `baton show` presents: fan-in of pricing and market data, fan-out to risk. */
  show: 'px-volsurf',
  /** The end of the longest chain. */
  last: 'deploy-prod',
} as const;

export const DEMO_PLAN: DemoTask[] = [
  // Market data
  {
    id: 'md-schema',
    title: 'Define the tick and order-book message schema',
    priority: 'high',
    assignee: 'alice',
    labels: ['market-data'],
    estimate: '4h',
    status: 'done',
    summary: 'One internal message format for trades, quotes and book updates from every venue.',
    criteria: ['Schema reviewed by pricing and risk', 'Encoders for trade, quote and book delta'],
  },
  {
    id: 'md-feed-cme',
    title: 'Feed handler: CME MDP 3.0',
    priority: 'critical',
    dependsOn: ['md-schema'],
    assignee: 'alice',
    labels: ['market-data', 'latency'],
    estimate: '2d',
    status: 'in_progress',
    ticked: true,
    summary: 'Decode CME MDP 3.0 multicast into internal messages, with gap recovery.',
    criteria: ['Recovers from sequence gaps via the TCP replay channel', 'p99 decode under 5 µs'],
  },
  {
    id: 'md-feed-eurex',
    title: 'Feed handler: Eurex EOBI',
    priority: 'high',
    dependsOn: ['md-schema'],
    assignee: 'infra-agent',
    labels: ['market-data', 'latency'],
    estimate: '2d',
    summary: 'Decode Eurex EOBI into internal messages.',
    criteria: ['Handles snapshot + incremental channels', 'Replays a captured session byte-exact'],
  },
  {
    id: 'md-normalise',
    title: 'Normalise ticks across venues',
    priority: 'critical',
    dependsOn: ['md-feed-cme', 'md-feed-eurex'],
    assignee: 'alice',
    labels: ['market-data'],
    estimate: '1d',
    summary: 'Common symbology, price scaling and timestamps (UTC, ns) for every feed.',
    criteria: ['One instrument id across venues', 'Exchange and receive timestamps kept'],
  },
  {
    id: 'md-book',
    title: 'Order-book snapshots every 100 ms',
    priority: 'high',
    dependsOn: ['md-normalise'],
    assignee: 'alice',
    labels: ['market-data'],
    estimate: '1d',
    summary: 'Build L2 books from normalised deltas and publish snapshots.',
    criteria: ['Top 10 levels per side', 'Book checksum matches the venue snapshot'],
  },
  {
    id: 'md-store',
    title: 'Tick storage in Parquet, partitioned by day',
    priority: 'high',
    dependsOn: ['md-normalise'],
    assignee: 'infra-agent',
    labels: ['market-data', 'storage'],
    estimate: '2d',
    summary: 'Persist every normalised tick; one file per venue, symbol and day.',
    criteria: ['Writes keep up with the open at 3x peak rate', 'Daily compaction job'],
  },
  {
    id: 'md-replay',
    title: 'Replay stored ticks at wall-clock or max speed',
    priority: 'medium',
    dependsOn: ['md-store'],
    assignee: 'infra-agent',
    labels: ['market-data', 'storage'],
    estimate: '1d',
    summary: 'Feed stored ticks back through the same interface as the live handlers.',
    criteria: ['Wall-clock and as-fast-as-possible modes', 'Deterministic ordering across venues'],
  },
  // Options pricing and greeks
  {
    id: 'px-rates',
    title: 'Risk-free curve and dividend inputs',
    priority: 'high',
    assignee: 'bob',
    labels: ['pricing'],
    estimate: '4h',
    status: 'done',
    summary: 'Daily SOFR curve and dividend forecasts for the pricer.',
    criteria: ['Curve bootstrapped from futures', 'Dividends from the vendor file'],
  },
  {
    id: 'px-bs',
    title: 'Black-Scholes pricer for European options',
    priority: 'high',
    dependsOn: ['px-rates'],
    assignee: 'bob',
    labels: ['pricing', 'quant'],
    estimate: '1d',
    status: 'in_progress',
    ticked: true,
    summary: 'Closed-form prices for calls and puts with continuous dividends.',
    criteria: ['Matches the reference prices to 1e-10', 'Put-call parity holds in tests'],
  },
  {
    id: 'px-iv',
    title: 'Implied-vol solver (Newton with Brent fallback)',
    priority: 'high',
    dependsOn: ['px-bs'],
    assignee: 'quant-agent',
    labels: ['pricing', 'quant'],
    estimate: '4h',
    summary: 'Invert the pricer: implied volatility from a market price.',
    criteria: ['Converges for deep ITM/OTM quotes', 'Returns NaN, never throws, on bad quotes'],
  },
  {
    id: 'px-volsurf',
    title: 'Implied vol surface (SVI fit per expiry)',
    priority: 'high',
    dependsOn: ['px-iv', 'md-book'],
    assignee: 'quant-agent',
    labels: ['pricing', 'quant'],
    estimate: '2d',
    summary: 'Fit an arbitrage-free SVI smile per expiry from live book mid prices.',
    criteria: ['No calendar or butterfly arbitrage', 'Refit under 50 ms per underlying'],
  },
  {
    id: 'greeks',
    title: 'Greeks: delta, gamma, vega, theta, rho',
    priority: 'high',
    dependsOn: ['px-bs'],
    assignee: 'quant-agent',
    labels: ['pricing', 'risk'],
    estimate: '1d',
    summary: 'Analytic greeks from the pricer, checked against finite differences.',
    criteria: ['Analytic vs bump-and-reprice within 1e-6', 'Vectorised over a chain'],
  },
  {
    id: 'greeks-agg',
    title: 'Aggregate greeks per book and underlying',
    priority: 'medium',
    dependsOn: ['greeks', 'px-volsurf'],
    assignee: 'bob',
    labels: ['risk'],
    estimate: '4h',
    summary: 'Roll position greeks up by book, underlying and expiry bucket.',
    criteria: ['Updates on every fill and surface refit', 'Totals reconcile with positions'],
  },
  // Risk
  {
    id: 'risk-policy',
    title: 'Write the risk-limit policy with compliance',
    priority: 'medium',
    assignee: 'carol',
    labels: ['risk', 'docs'],
    estimate: '2h',
    dueInDays: 5,
    summary: 'Which limits exist, who sets them, and what happens on a breach.',
    criteria: ['Signed off by compliance', 'Limits listed per desk'],
  },
  {
    id: 'risk-limits',
    title: 'Pre-trade risk limits (notional, delta, vega)',
    priority: 'critical',
    dependsOn: ['greeks-agg', 'risk-policy'],
    assignee: 'bob',
    labels: ['risk'],
    estimate: '2d',
    dueInDays: 14,
    summary: 'Reject orders that would breach a limit, before they leave the building.',
    criteria: ['Checks in under 10 µs per order', 'Limits reload without a restart'],
  },
  {
    id: 'risk-killswitch',
    title: 'Kill switch: flatten and halt on breach',
    priority: 'critical',
    dependsOn: ['risk-limits'],
    assignee: 'alice',
    labels: ['risk', 'ops'],
    estimate: '1d',
    dueInDays: 16,
    summary: 'One command (and one automatic trigger) to cancel, flatten and stop.',
    criteria: ['Tested against the exchange test environment', 'Audit log of every trigger'],
  },
  {
    id: 'risk-report',
    title: 'End-of-day risk report',
    priority: 'low',
    dependsOn: ['greeks-agg'],
    assignee: 'carol',
    labels: ['risk', 'reporting'],
    estimate: '4h',
    summary: 'Greeks, limit usage and the biggest movers, mailed at 18:00.',
    criteria: ['PDF and CSV', 'Sent even when a feed was down (with a warning)'],
  },
  // Backtesting and research
  {
    id: 'bt-spec',
    title: 'Backtest engine design doc',
    priority: 'medium',
    assignee: 'bob',
    labels: ['backtest', 'docs'],
    estimate: '2h',
    summary: 'Event model, clocks, and how fills are simulated.',
    criteria: ['Reviewed by quant-agent and alice'],
  },
  {
    id: 'bt-engine',
    title: 'Event-driven backtesting engine',
    priority: 'high',
    dependsOn: ['bt-spec', 'md-replay'],
    assignee: 'bob',
    labels: ['backtest'],
    estimate: '1w',
    summary: 'Run strategies over replayed ticks with the production order interface.',
    criteria: ['Same strategy code live and in backtest', 'A day of SPX options in under a minute'],
  },
  {
    id: 'bt-fills',
    title: 'Fill model: queue position and slippage',
    priority: 'medium',
    dependsOn: ['bt-engine', 'md-book'],
    assignee: 'quant-agent',
    labels: ['backtest', 'quant'],
    estimate: '2d',
    summary: 'Simulate passive fills from queue position and aggressive fills from the book.',
    criteria: ['Calibrated on a week of our own fills'],
  },
  {
    id: 'bt-costs',
    title: 'Fees and borrow costs in backtests',
    priority: 'low',
    dependsOn: ['bt-engine'],
    labels: ['backtest'],
    estimate: '4h',
    summary: 'Exchange fees, clearing fees and stock borrow in every simulated fill.',
    criteria: ['Fee schedule per venue from config'],
  },
  {
    id: 'bt-report',
    title: 'Backtest report: PnL, Sharpe, drawdown',
    priority: 'medium',
    dependsOn: ['bt-fills', 'bt-costs'],
    assignee: 'carol',
    labels: ['backtest', 'reporting'],
    estimate: '1d',
    summary: 'An HTML report per run, comparable across runs.',
    criteria: ['PnL attribution by greek', 'Two runs side by side'],
  },
  {
    id: 'strat-data',
    title: 'Research dataset: 2 years of SPX options',
    priority: 'medium',
    dependsOn: ['md-store'],
    assignee: 'quant-agent',
    labels: ['research'],
    estimate: '1d',
    summary: 'A cleaned, versioned dataset for strategy research.',
    criteria: ['Bad prints removed and logged', 'Dataset version recorded in every result'],
  },
  {
    id: 'strat-volarb',
    title: 'Strategy: vol-surface relative value',
    priority: 'high',
    dependsOn: ['px-volsurf', 'bt-report', 'strat-data'],
    assignee: 'quant-agent',
    labels: ['research', 'quant'],
    estimate: '1w',
    summary: 'Trade rich/cheap points on the surface against the SVI fit.',
    criteria: ['Out-of-sample Sharpe above 1.5 after costs', 'Capacity estimate'],
  },
  {
    id: 'strat-review',
    title: 'Strategy review with the risk committee',
    priority: 'medium',
    dependsOn: ['strat-volarb', 'risk-limits'],
    assignee: 'alice',
    labels: ['research', 'risk'],
    estimate: '2h',
    dueInDays: 30,
    summary: 'Present the backtest and the proposed limits.',
    criteria: ['Limits for the strategy agreed', 'Go/no-go recorded'],
  },
  // Dashboard
  {
    id: 'dash-design',
    title: 'Dashboard wireframes',
    priority: 'low',
    assignee: 'carol',
    labels: ['dashboard', 'design'],
    estimate: '4h',
    summary: 'What traders want to see first, on one screen.',
    criteria: ['Reviewed with two traders'],
  },
  {
    id: 'dash-api',
    title: 'Dashboard API: positions, PnL, greeks over WebSocket',
    priority: 'medium',
    dependsOn: ['greeks-agg'],
    assignee: 'carol',
    labels: ['dashboard', 'backend'],
    estimate: '1d',
    summary: 'Push aggregated state to the browser, throttled to 4 updates a second.',
    criteria: ['Reconnects and resyncs', 'Auth via the company SSO'],
  },
  {
    id: 'dash-ui',
    title: 'Dashboard UI: live positions and risk',
    priority: 'medium',
    dependsOn: ['dash-api', 'dash-design'],
    assignee: 'carol',
    labels: ['dashboard', 'frontend'],
    estimate: '2d',
    summary: 'The screen from the wireframes, fed by the dashboard API.',
    criteria: ['Greeks heat map by expiry', 'Works on the trading-floor wall screens'],
  },
  {
    id: 'dash-alerts',
    title: 'Limit-breach alerts in the dashboard',
    priority: 'medium',
    dependsOn: ['dash-ui', 'risk-limits'],
    assignee: 'carol',
    labels: ['dashboard', 'risk'],
    estimate: '4h',
    summary: 'Show and sound an alert when a limit is at 80% and at 100%.',
    criteria: ['Alert acknowledged by a named trader'],
  },
  // CI and deploy
  {
    id: 'ci-pipeline',
    title: 'CI: typecheck, test, lint on every push',
    priority: 'high',
    assignee: 'infra-agent',
    labels: ['ci'],
    estimate: '4h',
    status: 'done',
    summary: 'Every push runs the checks; main is protected.',
    criteria: ['Under 5 minutes', 'Required for merging to main'],
  },
  {
    id: 'ci-bench',
    title: 'Latency benchmarks in CI (feed handler p99)',
    priority: 'low',
    dependsOn: ['ci-pipeline', 'md-feed-cme'],
    assignee: 'infra-agent',
    labels: ['ci', 'latency'],
    estimate: '4h',
    summary: 'Fail the build when feed-handler p99 regresses by more than 10%.',
    criteria: ['Runs on a pinned, isolated core', 'Trend chart per commit'],
  },
  {
    id: 'infra-metrics',
    title: 'Metrics and logging stack (Prometheus, Loki)',
    priority: 'medium',
    dependsOn: ['ci-pipeline'],
    assignee: 'infra-agent',
    labels: ['ops'],
    estimate: '1d',
    status: 'in_progress',
    summary: 'Metrics, logs and alert routing for every service.',
    criteria: ['Dashboards for feed lag and order latency', 'Pager routing per team'],
  },
  {
    id: 'deploy-staging',
    title: 'Staging environment with replayed market data',
    priority: 'medium',
    dependsOn: ['ci-pipeline', 'md-replay', 'infra-metrics'],
    assignee: 'infra-agent',
    labels: ['deploy', 'ops'],
    estimate: '1d',
    summary: 'A full stack fed by yesterday’s ticks, redeployed on every merge.',
    criteria: ['One command to redeploy', 'Same config as production but the venue endpoints'],
  },
  {
    id: 'deploy-prod',
    title: 'Production rollout behind the kill switch',
    priority: 'critical',
    dependsOn: ['deploy-staging', 'risk-killswitch', 'dash-alerts'],
    assignee: 'alice',
    labels: ['deploy'],
    estimate: '1d',
    dueInDays: 21,
    summary: 'Go live with one underlying, small size, kill switch armed.',
    criteria: ['Rollback rehearsed', 'Sign-off from risk and compliance'],
  },
  {
    id: 'docs-runbook',
    title: 'On-call runbook for feed outages',
    priority: 'low',
    labels: ['docs', 'ops'],
    estimate: '30m',
    summary: 'What to check and whom to call when a feed goes quiet.',
    criteria: ['Linked from the pager alert'],
  },
];

/** The task's Markdown body: a sentence, then the acceptance criteria as check boxes. */
export function taskBody(task: DemoTask): string {
  const box = task.status === 'done' || task.ticked ? '[x]' : '[ ]';
  const criteria = task.criteria.map((c) => `- ${box} ${c}`).join('\n');
  return `${task.summary}\n\n## Acceptance criteria\n${criteria}\n`;
}

/** The `baton new` arguments that create `task`; `today` anchors the due dates. */
export function newTaskArgs(task: DemoTask, today: Date): string[] {
  const args = ['new', task.title, '--id', task.id, '-p', task.priority];
  for (const dep of task.dependsOn ?? []) args.push('--depends-on', dep);
  if (task.assignee) args.push('--assignee', task.assignee);
  for (const label of task.labels) args.push('--label', label);
  args.push('--estimate', task.estimate);
  if (task.dueInDays !== undefined) {
    const due = new Date(today.getTime() + task.dueInDays * 86_400_000);
    args.push('--due', due.toISOString().slice(0, 10));
  }
  args.push('--body', taskBody(task));
  return args;
}

/** The plan in creation waves: each task comes in the wave after its last dependency. */
export function creationWaves(plan: readonly DemoTask[]): DemoTask[][] {
  const wave = new Map<string, number>();
  const waves: DemoTask[][] = [];
  for (const task of plan) {
    const w = Math.max(-1, ...(task.dependsOn ?? []).map((d) => wave.get(d) ?? -1)) + 1;
    wave.set(task.id, w);
    const bucket = waves[w] ?? [];
    bucket.push(task);
    waves[w] = bucket;
  }
  return waves;
}
