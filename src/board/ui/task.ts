/// <reference lib="dom" />
// One task: its fields, body, log, context, dependencies, and the actions the server accepts.
// It refetches whenever the row's fingerprint changes (a delta or a write's response).
import { useEffect, useState } from 'preact/hooks';
import { act } from './api.js';
import { html } from './html.js';
import { Markdown } from './markdown.js';
import { rows, useStore } from './store.js';
import type { TaskDetail, TaskRef, TimelineItem } from './types.js';

const STATUS_VERBS = ['start', 'review', 'done', 'block', 'cancel', 'reopen'];

type Notice = { kind: 'conflict' | 'error' | 'ok'; text: string } | null;

function timeline(ctx: TaskDetail['context']): TimelineItem[] {
  if (Array.isArray(ctx)) return ctx;
  if (ctx && Array.isArray(ctx.timeline)) return ctx.timeline;
  return [];
}

function Ref({ t, onRemove }: { t: TaskRef; onRemove?: (id: string) => void }) {
  const row = rows.get(t.id);
  const status = t.status ?? row?.status ?? '?';
  const state = t.state ?? row?.state ?? '';
  return html`<li class="ref" data-id=${t.id}>
    <a href=${`#/task/${encodeURIComponent(t.id)}`}>${t.id}</a>
    <span class="ref-title">${t.title ?? row?.title ?? ''}</span>
    <span class=${`badge st-${status}`}>${status}</span>
    ${state ? html`<span class="state">${state}</span>` : null}
    ${
      onRemove
        ? html`<button class="small" data-testid="dep-remove" data-dep=${t.id}
            onClick=${() => onRemove(t.id)}>remove</button>`
        : null
    }
  </li>`;
}

function Item({ it }: { it: TimelineItem }) {
  return html`<li class=${`tl tl-${it.verb}${it.open ? ' open' : ''}`}>
    <span class="time">${it.time}</span> <span class="who">${it.agent}</span>
    <span class="verb">${it.verb}${it.target ? ` → ${it.target}` : ''}</span>
    ${it.open ? html`<span class="mark disc">open</span>` : null}
    ${it.message ? html`<div class="msg">${it.message}</div>` : null}
    ${
      it.artifacts && it.artifacts.length > 0
        ? html`<div class="artifacts">artifacts: ${it.artifacts.join(', ')}</div>`
        : null
    }
    ${
      it.criteria && it.criteria.length > 0
        ? html`<div class="artifacts">criteria: ${it.criteria.join('; ')}</div>`
        : null
    }
  </li>`;
}

export function TaskView({ id, onClose }: { id: string; onClose: () => void }) {
  useStore();
  const row = rows.get(id);
  const [detail, setDetail] = useState<TaskDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({
    status: 'start',
    reason: '',
    to: '',
    note: '',
    kind: 'share',
    text: '',
    key: '',
    value: '',
    dep: '',
  });
  const field = (k: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  const fingerprint = row?.fingerprint;
  useEffect(() => {
    let live = true;
    fetch(`/api/tasks/${encodeURIComponent(id)}`)
      .then(async (res) => {
        const body = (await res.json().catch(() => null)) as
          | (TaskDetail & { error?: string; message?: string })
          | null;
        if (!live) return;
        if (!res.ok || !body) {
          setLoadError(body?.message ?? body?.error ?? `${res.status} ${res.statusText}`);
          return;
        }
        setLoadError(null);
        setDetail(body);
      })
      .catch((err: unknown) => live && setLoadError(String(err)));
    return () => {
      live = false;
    };
  }, [id, fingerprint]);
  useEffect(() => {
    setNotice(null);
    setDetail(null);
  }, [id]);

  const run = async (action: string, body: object, done?: () => void) => {
    const fp = detail?.fingerprint ?? row?.fingerprint ?? '';
    setBusy(true);
    const out = await act(id, fp, action, body);
    setBusy(false);
    if (out.ok) {
      setNotice({ kind: 'ok', text: `${action}: done` });
      done?.();
    } else if (out.conflict) {
      setNotice({
        kind: 'conflict',
        text: `Someone changed ${id} since you opened it. This is the new version; check it and try again.`,
      });
    } else {
      setNotice({ kind: 'error', text: out.message });
    }
  };

  const t = detail ?? row;
  const items = timeline(detail?.context ?? null);
  // Hand-offs and discoveries first, then everything said, in time order.
  const sections: [string, string, TimelineItem[]][] = [
    ['Hand-offs', 'handoffs', items.filter((i) => i.verb === 'handoff')],
    ['Discoveries', 'discoveries', items.filter((i) => i.verb === 'discover')],
    ['Context', 'context', items],
  ];
  return html`<aside class="task-view" data-testid="task-view" data-id=${id}>
    <header class="task-head">
      <button class="close" data-testid="task-close" title="close" onClick=${onClose}>×</button>
      <div class="task-id">${id}</div>
      <h2>${t?.title ?? ''}</h2>
    </header>
    ${
      notice
        ? html`<div class=${`notice ${notice.kind}`} role="alert">
            <span data-testid=${notice.kind}>${notice.text}</span>
            <button class="small" onClick=${() => setNotice(null)}>dismiss</button>
          </div>`
        : null
    }
    ${loadError && !t ? html`<div class="notice error" data-testid="error">${loadError}</div>` : null}
    ${
      t
        ? html`<dl class="fields" data-testid="task-fields">
            <dt>status</dt><dd><span class=${`badge st-${t.status}`} data-testid="task-status">${t.status}</span> <span class="state">${t.state}</span></dd>
            <dt>priority</dt><dd>${t.priority}</dd>
            <dt>assignee</dt><dd data-testid="task-assignee">${t.assignee ?? '—'}</dd>
            <dt>estimate</dt><dd>${t.estimate ?? '—'}</dd>
            <dt>due</dt><dd>${t.due ?? '—'}${t.overdue ? html` <span class="mark overdue">overdue</span>` : null}</dd>
            <dt>labels</dt><dd>${t.labels.length ? t.labels.map((l) => html`<span class="label" key=${l}>${l}</span>`) : '—'}</dd>
            <dt>namespace</dt><dd>${t.namespace}</dd>
            ${t.lease_expired ? html`<dt>lease</dt><dd><span class="mark lease">expired</span></dd>` : null}
            ${t.attempts > 0 ? html`<dt>attempts</dt><dd><span class="mark failed">failed ×${t.attempts}</span></dd>` : null}
            ${detail?.file ? html`<dt>file</dt><dd class="mono">${detail.file}</dd>` : null}
          </dl>`
        : html`<p class="muted">loading…</p>`
    }
    <section class="actions" aria-busy=${busy}>
      <div class="row">
        <select data-testid="status-select" value=${form.status} onChange=${field('status')}>
          ${STATUS_VERBS.map((s) => html`<option key=${s} value=${s}>${s}</option>`)}
        </select>
        <input data-testid="status-reason" placeholder="reason (optional)" value=${form.reason} onInput=${field('reason')} />
        <button data-testid="status-apply" disabled=${busy}
          onClick=${() => run('status', form.reason ? { to: form.status, reason: form.reason } : { to: form.status })}>
          apply status
        </button>
      </div>
      <div class="row">
        <button data-testid="claim" disabled=${busy} onClick=${() => run('claim', {})}>claim</button>
        <button data-testid="release" disabled=${busy} onClick=${() => run('release', {})}>release</button>
      </div>
      <div class="row">
        <input data-testid="handoff-to" placeholder="hand off to (agent)" value=${form.to} onInput=${field('to')} />
        <input data-testid="handoff-note" placeholder="note" value=${form.note} onInput=${field('note')} />
        <button data-testid="handoff-apply" disabled=${busy || !form.to.trim()}
          onClick=${() => run('handoff', form.note ? { to: form.to.trim(), note: form.note } : { to: form.to.trim() }, () => setForm({ ...form, to: '', note: '' }))}>
          hand off
        </button>
      </div>
      <div class="row">
        <select data-testid="post-kind" value=${form.kind} onChange=${field('kind')}>
          <option value="share">share</option>
          <option value="discover">discover</option>
          <option value="sync">sync</option>
        </select>
        <textarea data-testid="share-text" placeholder="message" rows="2" value=${form.text} onInput=${field('text')}></textarea>
        <button data-testid="share-apply" disabled=${busy || !form.text.trim()}
          onClick=${() => run('post', { kind: form.kind, message: form.text }, () => setForm({ ...form, text: '' }))}>
          post
        </button>
      </div>
      <div class="row">
        <input data-testid="set-key" placeholder="field" value=${form.key} onInput=${field('key')} />
        <input data-testid="set-value" placeholder="value" value=${form.value} onInput=${field('value')} />
        <button data-testid="set-apply" disabled=${busy || !form.key.trim()}
          onClick=${() => run('update', { set: { [form.key.trim()]: form.value } })}>
          set
        </button>
      </div>
    </section>
    ${
      detail
        ? html`
          <section>
            <h3>Dependencies</h3>
            <ul class="refs" data-testid="dependencies">
              ${detail.dependencies.map((d) => html`<${Ref} key=${d.id} t=${d} onRemove=${(dep: string) => run('dep', { remove: [dep] })} />`)}
            </ul>
            <div class="row">
              <input data-testid="dep-id" placeholder="task id" value=${form.dep} onInput=${field('dep')} />
              <button data-testid="dep-add" disabled=${busy || !form.dep.trim()}
                onClick=${() => run('dep', { add: [form.dep.trim()] }, () => setForm({ ...form, dep: '' }))}>
                add dependency
              </button>
            </div>
            ${
              detail.blocked_by.length > 0
                ? html`<h3>Why blocked</h3>
                  <ul class="why" data-testid="blocked-by">
                    ${detail.blocked_by.map((b, i) =>
                      typeof b === 'string'
                        ? html`<li key=${i}>${b}</li>`
                        : html`<li key=${i}>${(b.path ?? []).join(' → ')}${b.why ? `: ${b.why}` : ''}</li>`,
                    )}
                  </ul>`
                : null
            }
            <h3>Dependents</h3>
            <ul class="refs" data-testid="dependents">
              ${detail.dependents.length ? detail.dependents.map((d) => html`<${Ref} key=${d.id} t=${d} />`) : html`<li class="muted">none</li>`}
            </ul>
          </section>
          <section>
            <h3>Description</h3>
            <div data-testid="task-body"><${Markdown} source=${detail.body ?? ''} /></div>
          </section>
          ${sections.map(([title, testid, list]) =>
            list.length > 0 || testid === 'context'
              ? html`<section key=${testid}>
                  <h3>${title}</h3>
                  <ul class="timeline" data-testid=${testid}>
                    ${list.length ? list.map((it, i) => html`<${Item} key=${i} it=${it} />`) : html`<li class="muted">nothing said yet</li>`}
                  </ul>
                </section>`
              : null,
          )}
          <section>
            <h3>Log</h3>
            <pre class="log" data-testid="task-log">${(detail.log ?? []).join('\n')}</pre>
          </section>`
        : null
    }
  </aside>`;
}
