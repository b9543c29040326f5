/// <reference lib="dom" />
// The board's single page: a nav (Board | Graph | Team) and hash routes #/board, #/graph,
// #/team and #/task/<id> (the task opens as a side panel over the last view).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Board } from './board.js';
import { GraphView } from './graph.js';
import { html } from './html.js';
import { connect, connection, meta, rows, useStore } from './store.js';
import { TaskView } from './task.js';
import { TeamView } from './team.js';

type View = 'board' | 'graph' | 'team';
interface Route {
  view: View;
  task: string | null;
}

let lastView: View = 'board';

function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path.startsWith('task/')) {
    let id = path.slice(5);
    try {
      id = decodeURIComponent(id);
    } catch {
      // keep the raw text
    }
    return { view: lastView, task: id };
  }
  const view: View = path === 'graph' || path === 'team' ? path : 'board';
  lastView = view;
  return { view, task: null };
}

function App() {
  useStore();
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && route.task) location.hash = `#/${route.view}`;
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, [route]);
  useEffect(() => {
    document.title = meta?.repo.name ? `baton board — ${meta.repo.name}` : 'baton board';
  }, [meta]);

  const tab = (v: View, label: string) =>
    html`<a href=${`#/${v}`} class=${route.view === v ? 'tab active' : 'tab'} data-testid=${`nav-${v}`}
      aria-current=${route.view === v ? 'page' : undefined}>${label}</a>`;
  return html`<div class=${route.task ? 'app with-task' : 'app'}>
    <header class="top">
      <span class="brand">baton</span>
      ${meta ? html`<span class="repo">${meta.repo.name ?? ''}${meta.repo.branch ? ` @ ${meta.repo.branch}` : ''}</span>` : null}
      <nav>${tab('board', 'Board')}${tab('graph', 'Graph')}${tab('team', 'Team')}</nav>
      <span class="spacer"></span>
      ${meta?.agent ? html`<span class="agent-name" title="acting agent">as ${meta.agent}</span>` : null}
      <span class=${`conn conn-${connection}`} data-testid="connection" data-state=${connection}>
        ${connection === 'live' ? 'live' : connection === 'loading' ? 'loading…' : connection === 'offline' ? 'reconnecting…' : 'not signed in'}
      </span>
    </header>
    ${
      connection === 'unauthorized'
        ? html`<div class="notice error" data-testid="error">This board needs its session: open the URL that <code>baton board</code> printed.</div>`
        : null
    }
    <main>
      ${route.view === 'board' ? html`<${Board} />` : route.view === 'graph' ? html`<${GraphView} />` : html`<${TeamView} />`}
    </main>
    ${
      route.task
        ? html`<${TaskView} key=${route.task} id=${route.task}
            onClose=${() => {
              location.hash = `#/${route.view}`;
            }} />`
        : null
    }
    ${connection === 'live' && rows.size === 0 && route.view === 'board' ? html`<p class="muted empty">No tasks yet.</p>` : null}
  </div>`;
}

const root = document.getElementById('app') ?? document.body;
render(html`<${App} />`, root);
void connect();
