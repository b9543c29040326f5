/**
 * `baton run` on a terminal: each event as a plain line, and below them a footer redrawn in
 * place once a second: one line per running attempt (task, agent, elapsed time), then the
 * totals (done, running, failed, open) with the pace so far and the finish it points to.
 * On a pipe the same lines are printed without the footer.
 */
import { eventLine, type RunEvent } from './events.js';

interface Active {
  id: string;
  agent: string;
  since: number;
}

export class LiveView {
  private readonly active = new Map<string, Active>();
  private readonly t0 = Date.now();
  private drawn = 0;
  private done = 0;
  private failed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly open: () => { tasks: number; hours: number },
    private readonly width: () => number = () => process.stdout.columns || 80,
  ) {
    this.timer = setInterval(() => this.redraw(), 1000);
    this.timer.unref();
  }

  event(e: RunEvent): void {
    if (e.type === 'start') this.active.set(e.id, { id: e.id, agent: e.agent, since: Date.now() });
    if (
      e.type === 'merged' ||
      e.type === 'failed' ||
      e.type === 'conflict' ||
      e.type === 'released'
    ) {
      this.active.delete(e.id);
    }
    if (e.type === 'merged') this.done++;
    if (e.type === 'failed' || e.type === 'conflict') this.failed++;
    this.clear();
    this.write(`${eventLine(e)}\n`);
    if (e.type === 'summary') this.close();
    else this.draw();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private redraw(): void {
    this.clear();
    this.draw();
  }

  /** Erase the footer: up to its first line, then clear to the end of the screen. */
  private clear(): void {
    if (this.drawn > 0) this.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    const now = Date.now();
    const cut = (s: string) =>
      s.length > this.width() - 1 ? `${s.slice(0, this.width() - 2)}…` : s;
    const lines = [...this.active.values()].map((a) =>
      cut(`  ▸ ${a.id}  ${a.agent}  ${clock(now - a.since)}`),
    );
    const minutes = (now - this.t0) / 60_000;
    const pace = minutes > 0 ? this.done / minutes : 0;
    const { tasks: open, hours } = this.open();
    const eta =
      pace > 0 && open > 0 ? `, done in ~${clock((open / pace) * 60_000)} at this pace` : '';
    const work = hours > 0 ? ` (${hours.toFixed(1)}h estimated)` : '';
    lines.push(
      cut(
        `  ${this.done} done, ${this.active.size} running, ${this.failed} failed, ${open} open${work}; ${pace.toFixed(1)}/min${eta}`,
      ),
    );
    this.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}:${String(sec).padStart(2, '0')}`;
}
