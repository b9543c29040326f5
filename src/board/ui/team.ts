/// <reference lib="dom" />
// The team: each agent's load against capacity and what it holds, resources in use, recent
// activity, open discoveries, expired leases, stale caches and results. Refetched (debounced)
// when a `team` event arrives while it is open.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getJson } from './api.js';
import { html } from './html.js';
import { activity, onTeam, rows, setActivity, useStore } from './store.js';
import type { Row, TeamPayload } from './types.js';

const DEBOUNCE_MS = 300;

function TaskLink({ id, title }: { id: string; title?: string | null }) {
  return html`<a href=${`#/task/${encodeURIComponent(id)}`}>${id}</a>${title ? html` <span class="ref-title">${title}</span>` : null}`;
}

export function TeamView() {
  const v = useStore();
  const [team, setTeam] = useState<TeamPayload | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      getJson<TeamPayload>('/api/team')
        .then((t) => {
          if (!live) return;
          setError(null);
          setTeam(t);
          if (Array.isArray(t.activity)) setActivity(t.activity);
        })
        .catch((e: unknown) => live && setError(String(e instanceof Error ? e.message : e)));
    load();
    const off = onTeam(() => {
      clearTimeout(timer);
      timer = setTimeout(load, DEBOUNCE_MS);
    });
    return () => {
      live = false;
      clearTimeout(timer);
      off();
    };
  }, []);

  // What each agent holds, from the live rows: in progress and in review, by assignee.
  const holds = useMemo(() => {
    const by = new Map<string, Row[]>();
    for (const row of rows.values()) {
      if ((row.status !== 'in_progress' && row.status !== 'review') || !row.assignee) continue;
      let list = by.get(row.assignee);
      if (!list) {
        list = [];
        by.set(row.assignee, list);
      }
      list.push(row);
    }
    return by;
  }, [v]);

  if (error && !team)
    return html`<div class="team-view" data-testid="team-view"><div class="notice error" data-testid="error">${error}</div></div>`;
  if (!team)
    return html`<div class="team-view" data-testid="team-view"><p class="muted">loading…</p></div>`;
  const agents = team.agents ?? [];
  const names = new Set(agents.map((a) => a.agent));
  const extra = [...holds.keys()].filter((a) => !names.has(a)).sort();
  const leases = team.expired_leases?.items ?? [];
  const discoveries = team.discoveries?.items ?? [];
  const caches = team.stale?.caches ?? [];
  const results = team.stale?.results ?? [];
  return html`<div class="team-view" data-testid="team-view">
    <section class="panel" data-testid="team-agents">
      <h2>Agents</h2>
      ${agents.length + extra.length === 0 ? html`<p class="muted">nobody holds work</p>` : null}
      ${[
        ...agents,
        ...extra.map((agent) => ({ agent, in_progress: 0, review: 0, capacity: 0, over: false })),
      ].map((a) => {
        const pct = a.capacity > 0 ? Math.min(100, (a.in_progress / a.capacity) * 100) : 0;
        const held = holds.get(a.agent) ?? [];
        return html`<div key=${a.agent} class=${`agent${a.over ? ' over' : ''}`} data-testid=${`agent-${a.agent}`}>
          <div class="agent-head">
            <strong>${a.agent}</strong>
            <span>${a.in_progress} / ${a.capacity || '?'} in progress${a.review ? `, ${a.review} in review` : ''}${a.over ? ' — over capacity' : ''}</span>
          </div>
          <div class="bar"><div class="fill" style=${{ width: `${pct}%` }}></div></div>
          ${
            held.length
              ? html`<ul class="refs">${held.map(
                  (r) => html`<li key=${r.id}>
                  <${TaskLink} id=${r.id} title=${r.title} />
                  <span class=${`badge st-${r.status}`}>${r.status}</span>
                  ${r.lease_expired ? html`<span class="mark lease">lease expired</span>` : null}
                </li>`,
                )}</ul>`
              : null
          }
        </div>`;
      })}
      ${
        leases.length
          ? html`<h3>Expired leases</h3><ul class="refs" data-testid="team-leases">${leases.map(
              (l) =>
                html`<li key=${l.id}><${TaskLink} id=${l.id} title=${l.title} /> held by ${l.agent} until ${l.until}</li>`,
            )}</ul>`
          : null
      }
    </section>
    <section class="panel" data-testid="team-resources">
      <h2>Resources</h2>
      ${
        (team.resources ?? []).length
          ? html`<ul class="refs">${(team.resources ?? []).map(
              (r) => html`<li key=${r.name} class=${r.over ? 'over' : ''}>
                <strong>${r.name}</strong> ${r.use} / ${r.capacity ?? '∞'}
                ${r.holders.length ? html` — ${r.holders.map((id, i) => html`${i ? ', ' : ''}<a href=${`#/task/${encodeURIComponent(id)}`}>${id}</a>`)}` : null}
              </li>`,
            )}</ul>`
          : html`<p class="muted">none in use</p>`
      }
    </section>
    <section class="panel" data-testid="team-discoveries">
      <h2>Open discoveries ${team.discoveries ? html`<span class="count">${team.discoveries.total}</span>` : null}</h2>
      ${
        discoveries.length
          ? html`<ul class="timeline">${discoveries.map(
              (
                d,
                i,
              ) => html`<li key=${i}><span class="time">${d.time}</span> <span class="who">${d.agent}</span> on <${TaskLink} id=${d.id} />
                <div class="msg">${d.message}</div></li>`,
            )}</ul>`
          : html`<p class="muted">none</p>`
      }
    </section>
    <section class="panel" data-testid="team-stale">
      <h2>Stale caches and results</h2>
      ${caches.length + results.length === 0 ? html`<p class="muted">none</p>` : null}
      <ul class="refs">
        ${caches.map((c) => html`<li key=${`c:${c.namespace}/${c.name}`}>cache <strong>${c.namespace}/${c.name}</strong>: ${c.changed.join(', ')} changed</li>`)}
        ${results.map((r) => html`<li key=${`r:${r.id}`}>result of <${TaskLink} id=${r.id} />${r.inherited ? ' (inherited)' : ''}</li>`)}
      </ul>
    </section>
    <section class="panel wide" data-testid="team-activity">
      <h2>Recent activity</h2>
      ${
        activity.length
          ? html`<ul class="timeline">${activity.map(
              (
                a,
                i,
              ) => html`<li key=${i}><span class="time">${a.time}</span> <span class="verb">${a.type}</span>
                ${a.id ? html` <a href=${`#/task/${encodeURIComponent(a.id)}`}>${a.id}</a>` : null} ${a.text}</li>`,
            )}</ul>`
          : html`<p class="muted">nothing yet</p>`
      }
    </section>
  </div>`;
}
