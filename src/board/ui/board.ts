/// <reference lib="dom" />
// The board: one column per status (todo split into ready / scheduled / blocked), filtered in
// memory. Columns render a bounded number of cards so 10,000 tasks stay smooth; done and the
// closed column start collapsed and page.
import { Component } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { html } from './html.js';
import { rows, useStore } from './store.js';
import type { Row } from './types.js';

/** Cards a column shows before its "N more" button; each todo group shows a third. */
const CARD_LIMIT = 150;
const GROUP_LIMIT = 50;
const DONE_PAGE = 50;
const PRIORITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export interface Filters {
  text: string;
  assignee: string;
  label: string;
  namespace: string;
}

/** Kept across view switches. */
const saved: Filters = { text: '', assignee: '', label: '', namespace: '' };

function byPriority(a: Row, b: Row): number {
  const d = (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9);
  return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function todoGroup(row: Row): 'ready' | 'scheduled' | 'blocked' {
  return row.state === 'blocked' ? 'blocked' : row.state === 'scheduled' ? 'scheduled' : 'ready';
}

interface Buckets {
  ready: Row[];
  scheduled: Row[];
  blocked_todo: Row[];
  in_progress: Row[];
  review: Row[];
  blocked: Row[];
  done: Row[];
  closed: Row[];
  assignees: string[];
  labels: string[];
  namespaces: string[];
  shown: number;
}

function bucket(f: Filters): Buckets {
  const b: Buckets = {
    ready: [],
    scheduled: [],
    blocked_todo: [],
    in_progress: [],
    review: [],
    blocked: [],
    done: [],
    closed: [],
    assignees: [],
    labels: [],
    namespaces: [],
    shown: 0,
  };
  const assignees = new Set<string>();
  const labels = new Set<string>();
  const namespaces = new Set<string>();
  const text = f.text.trim().toLowerCase();
  for (const row of rows.values()) {
    if (row.assignee) assignees.add(row.assignee);
    for (const l of row.labels) labels.add(l);
    namespaces.add(row.namespace);
    if (f.assignee && (row.assignee ?? '-') !== f.assignee) continue;
    if (f.label && !row.labels.includes(f.label)) continue;
    if (f.namespace && row.namespace !== f.namespace) continue;
    if (text && !row.id.toLowerCase().includes(text) && !row.title.toLowerCase().includes(text)) {
      continue;
    }
    b.shown++;
    switch (row.status) {
      case 'todo': {
        const g = todoGroup(row);
        (g === 'blocked' ? b.blocked_todo : b[g]).push(row);
        break;
      }
      case 'in_progress':
      case 'review':
      case 'blocked':
      case 'done':
        b[row.status].push(row);
        break;
      default:
        b.closed.push(row);
    }
  }
  for (const list of [b.ready, b.scheduled, b.blocked_todo, b.in_progress, b.review, b.blocked]) {
    list.sort(byPriority);
  }
  b.closed.sort(byPriority);
  // Done: most recently finished is unknown to the row, so newest id order is as good as any;
  // keep it stable by id.
  b.done.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  b.assignees = [...assignees].sort();
  b.labels = [...labels].sort();
  b.namespaces = [...namespaces].sort();
  return b;
}

/** A card re-renders only when its row object changes (a delta replaces the object). */
class Card extends Component<{ row: Row }> {
  override shouldComponentUpdate(next: { row: Row }): boolean {
    return next.row !== this.props.row;
  }
  override render() {
    return card(this.props.row);
  }
}

function card(row: Row) {
  return html`<a
    class=${`card pri-${row.priority} st-${row.status}`}
    href=${`#/task/${encodeURIComponent(row.id)}`}
    data-testid=${`card-${row.id}`}
    data-status=${row.status}
    data-state=${row.state}
  >
    <div class="card-head">
      <span class="card-id">${row.id}</span>
      <span class=${`pri pri-${row.priority}`}>${row.priority}</span>
    </div>
    <div class="card-title">${row.title}</div>
    <div class="card-meta">
      ${row.assignee ? html`<span class="who">@${row.assignee}</span>` : null}
      ${row.estimate ? html`<span class="est">${row.estimate}</span>` : null}
      ${row.labels.map((l) => html`<span class="label" key=${l}>${l}</span>`)}
    </div>
    ${
      row.overdue || row.lease_expired || row.attempts > 0 || row.open_discoveries > 0
        ? html`<div class="marks">
            ${row.overdue ? html`<span class="mark overdue" title=${`due ${row.due ?? ''}`}>overdue</span>` : null}
            ${row.lease_expired ? html`<span class="mark lease">lease expired</span>` : null}
            ${row.attempts > 0 ? html`<span class="mark failed">failed ×${row.attempts}</span>` : null}
            ${
              row.open_discoveries > 0
                ? html`<span class="mark disc">${row.open_discoveries} discover${row.open_discoveries === 1 ? 'y' : 'ies'}</span>`
                : null
            }
          </div>`
        : null
    }
  </a>`;
}

/** Up to `step` cards, then a "N more" button that shows `step` more. */
function Cards({ list, step }: { list: Row[]; step: number }) {
  const [limit, setLimit] = useState(step);
  const rest = list.length - limit;
  return html`${list.slice(0, limit).map((row) => html`<${Card} key=${row.id} row=${row} />`)}
    ${
      rest > 0
        ? html`<button class="more" data-testid="more" onClick=${() => setLimit(limit + step)}>${rest} more</button>`
        : null
    }`;
}

function Group({ name, list }: { name: string; list: Row[] }) {
  return html`<section class=${`group group-${name}`} data-testid=${`group-${name}`}>
    <h3>${name} <span class="count">${list.length}</span></h3>
    <${Cards} list=${list} step=${GROUP_LIMIT} />
  </section>`;
}

function Column({
  status,
  title,
  count,
  children,
  collapsible,
}: {
  status: string;
  title: string;
  count: number;
  children: unknown;
  collapsible?: { open: boolean; toggle: () => void };
}) {
  const open = collapsible ? collapsible.open : true;
  return html`<section
    class=${`column col-${status}${open ? '' : ' collapsed'}`}
    data-testid=${`column-${status}`}
  >
    <h2>
      ${
        collapsible
          ? html`<button class="toggle" data-testid=${`toggle-${status}`} aria-expanded=${open} onClick=${collapsible.toggle}>
              ${open ? '▾' : '▸'} ${title}
            </button>`
          : title
      }
      <span class="count">${count}</span>
    </h2>
    ${open ? html`<div class="cards">${children}</div>` : null}
  </section>`;
}

function Select({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
}) {
  return html`<label class="filter">${label}
    <select
      data-testid=${id}
      value=${value}
      onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}
    >
      <option value="">all</option>
      ${options.map((o) => html`<option key=${o} value=${o}>${o}</option>`)}
    </select>
  </label>`;
}

export function Board() {
  const v = useStore();
  const [filters, setFilters] = useState<Filters>({ ...saved });
  const set = (patch: Partial<Filters>) => {
    Object.assign(saved, patch);
    setFilters({ ...saved });
  };
  const b = useMemo(() => bucket(filters), [v, filters]);
  const [doneOpen, setDoneOpen] = useState(false);
  const [closedOpen, setClosedOpen] = useState(false);
  const assignees =
    filters.assignee && !b.assignees.includes(filters.assignee)
      ? [...b.assignees, filters.assignee]
      : b.assignees;
  return html`<div class="board-view" data-testid="board-view">
    <div class="filters">
      <input
        type="search"
        placeholder="filter by id or title"
        data-testid="filter-text"
        value=${filters.text}
        onInput=${(e: Event) => set({ text: (e.target as HTMLInputElement).value })}
      />
      <${Select} id="filter-assignee" label="assignee" value=${filters.assignee} options=${assignees}
        onChange=${(x: string) => set({ assignee: x })} />
      <${Select} id="filter-label" label="label" value=${filters.label} options=${b.labels}
        onChange=${(x: string) => set({ label: x })} />
      <${Select} id="filter-namespace" label="namespace" value=${filters.namespace} options=${b.namespaces}
        onChange=${(x: string) => set({ namespace: x })} />
      <span class="shown" data-testid="shown-count">${b.shown} of ${rows.size} tasks</span>
    </div>
    <div class="columns">
      <${Column} status="todo" title="todo" count=${b.ready.length + b.scheduled.length + b.blocked_todo.length}>
        <${Group} name="ready" list=${b.ready} />
        <${Group} name="scheduled" list=${b.scheduled} />
        <${Group} name="blocked" list=${b.blocked_todo} />
      <//>
      <${Column} status="in_progress" title="in progress" count=${b.in_progress.length}>
        <${Cards} list=${b.in_progress} step=${CARD_LIMIT} />
      <//>
      <${Column} status="review" title="review" count=${b.review.length}>
        <${Cards} list=${b.review} step=${CARD_LIMIT} />
      <//>
      <${Column} status="blocked" title="blocked" count=${b.blocked.length}>
        <${Cards} list=${b.blocked} step=${CARD_LIMIT} />
      <//>
      <${Column} status="done" title="done" count=${b.done.length}
        collapsible=${{ open: doneOpen, toggle: () => setDoneOpen(!doneOpen) }}>
        <${Cards} list=${b.done} step=${DONE_PAGE} />
      <//>
      <${Column} status="closed" title="cancelled / failed" count=${b.closed.length}
        collapsible=${{ open: closedOpen, toggle: () => setClosedOpen(!closedOpen) }}>
        <${Cards} list=${b.closed} step=${DONE_PAGE} />
      <//>
    </div>
  </div>`;
}
