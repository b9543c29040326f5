/**
 * Wait for a task file to change, for `next --wait`: one recursive `fs.watch` on `.tasks/`
 * (inotify underneath, no polling), ignoring `.tasks/.local/`, where locks and caches churn.
 * Changes that arrive while nobody waits are remembered, so a change between a look at the
 * tasks and the next wait is never missed.
 */
import { type FSWatcher, watch } from 'node:fs';
import type { Root } from './root.js';

export interface TaskChanges {
  /** Resolves at the first change since the last call (at once if one came meanwhile), or after `ms`. */
  next(ms: number): Promise<void>;
  close(): void;
}

export function watchTaskChanges(root: Root): TaskChanges {
  let changed = false;
  let wake: (() => void) | undefined;
  const watcher: FSWatcher = watch(root.tasksDir, { recursive: true }, (_event, name) => {
    const path = typeof name === 'string' ? name : '';
    if (path === '.local' || path.startsWith('.local/')) return;
    changed = true;
    wake?.();
  });
  watcher.on('error', () => {
    // a vanished .tasks/ or a watch limit: fall back to waking on the timer alone
  });
  return {
    next(ms) {
      if (changed) {
        changed = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
        function done() {
          clearTimeout(timer);
          wake = undefined;
          changed = false;
          resolve();
        }
        wake = done;
      });
    },
    close() {
      watcher.close();
      wake?.();
    },
  };
}
