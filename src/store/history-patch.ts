/**
 * Reads the output of `git log --reverse -p --unified=0 --format=%x00%H %at` over `.tasks/`,
 * one line at a time, into one `TaskHistory` per task id (see core/stats-timeline.ts).
 *
 * A changed file shows only its changed lines, so for every task file the reader keeps its id
 * and the line number of the closing `---` of its front matter: a hunk above that line is
 * front matter (`status:`, `assignee:`, `due:`, `created:`, `id:` are read there), a hunk
 * below it is body (added `- <time> <agent> <verb>` lines are log lines), and the fence
 * moves by what the front-matter hunks added and removed. A file seen for the first time
 * shows whole (a new file, a file moved with renames off, or every file in the oldest commit
 * of a shallow clone). Files other than `.tasks/<namespace>/<name>.md` are skipped.
 */
import { parseEntry } from '../core/log-entry.js';
import type { TaskHistory, Touch, TouchLog } from '../core/stats-timeline.js';
import { fileStem, taskFileNamespace } from './scan.js';

interface PathState {
  id: string;
  /** 1-based line of the closing fence; 0: none; -1: unknown (both: fields read by shape). */
  fence: number;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const FIELDS = ['status', 'assignee', 'due', 'created', 'id'] as const;
type Field = (typeof FIELDS)[number];

/** A scalar as written after `key:`: quotes and a trailing comment removed. */
function scalar(text: string): string | undefined {
  let v = text.trim();
  const c = v.charCodeAt(0);
  if (c === 34 || c === 39) {
    const end = v.indexOf(v[0]!, 1);
    v = end > 0 ? v.slice(1, end) : v.slice(1);
  } else {
    const hash = v.indexOf(' #');
    if (hash >= 0) v = v.slice(0, hash).trimEnd();
  }
  return v === '' || v === '~' || v === 'null' ? undefined : v;
}

function fieldOf(line: string): Field | undefined {
  for (const f of FIELDS) {
    if (line.startsWith(f) && line.charCodeAt(f.length) === 58) return f;
  }
  return undefined;
}

export class PatchReader {
  readonly tasks = new Map<string, TaskHistory>();
  commits = 0;
  first: number | undefined;
  last: number | undefined;
  private readonly paths = new Map<string, PathState>();
  private readonly assignees = new Map<string, string | undefined>();
  // the commit being read
  private time = 0;
  private boundary = false;
  private touched = false;
  // the file being read
  private path: string | undefined;
  private relevant = false;
  private created = false;
  private deleted = false;
  private fence = -1;
  private newFence = -1;
  private fields = new Map<Field, string | undefined>();
  private logs: TouchLog[] = [];
  // the hunk being read
  private oldLeft = 0;
  private newLeft = 0;
  private oldNo = 0;
  private newNo = 0;
  private hunkKind: 'fm' | 'body' | 'straddle' | 'shape' = 'shape';
  /** In a new file or straddling hunk: the opening fence was seen, the closing one not yet. */
  private inFm = false;

  constructor(private readonly shallowCommits: ReadonlySet<string>) {}

  line(text: string): void {
    if (this.oldLeft > 0 || this.newLeft > 0) {
      this.hunkLine(text);
      return;
    }
    const c = text.charCodeAt(0);
    if (c === 0) this.commit(text);
    else if (c === 64 /* @ */ && this.relevant) this.hunk(text);
    else if (text.startsWith('diff --git ')) this.file();
    else if (this.path !== undefined) {
      // the file is known: nothing else in its header matters
    } else if (text.startsWith('new file mode')) this.created = true;
    else if (text.startsWith('deleted file mode')) this.deleted = true;
    else if (text.startsWith('+++ ')) this.header(text.slice(4), this.created);
    else if (text.startsWith('--- ') && this.deleted) this.header(text.slice(4), false);
  }

  end(): void {
    this.endFile();
  }

  private commit(text: string): void {
    this.file();
    const sp = text.indexOf(' ');
    const hash = text.slice(1, sp);
    this.time = Number(text.slice(sp + 1)) * 1000;
    this.boundary = this.shallowCommits.has(hash);
    this.touched = false;
  }

  private file(): void {
    this.endFile();
    this.path = undefined;
    this.relevant = false;
    this.created = false;
    this.deleted = false;
  }

  /** `b/.tasks/main/x.md` (or `a/...` of a deleted file), possibly C-quoted. */
  private header(spec: string, created: boolean): void {
    let p = spec.trimEnd();
    if (p.startsWith('"')) p = p.slice(1, -1);
    if (p === '/dev/null') return;
    p = p.slice(2);
    this.path = p;
    this.relevant = taskFileNamespace(p) !== undefined;
    if (!this.relevant) return;
    if (!this.touched) {
      this.touched = true;
      this.commits++;
      this.first ??= this.time;
      this.first = Math.min(this.first, this.time);
      this.last = Math.max(this.last ?? this.time, this.time);
    }
    const state = this.paths.get(p);
    this.fence = created || !state ? -1 : state.fence;
    this.newFence = created ? 0 : this.fence;
    this.inFm = false;
    this.fields = new Map();
    this.logs = [];
  }

  private hunk(text: string): void {
    const m = HUNK.exec(text);
    if (!m) return;
    const os = Number(m[1]);
    const ol = m[2] === undefined ? 1 : Number(m[2]);
    this.oldNo = os;
    this.newNo = Number(m[3]);
    this.oldLeft = ol;
    this.newLeft = m[4] === undefined ? 1 : Number(m[4]);
    const f = this.fence;
    if (this.created) this.hunkKind = 'straddle';
    else if (f <= 0) this.hunkKind = 'shape';
    else if ((ol === 0 ? os : os + ol - 1) < f) {
      this.hunkKind = 'fm';
      this.newFence += this.newLeft - ol;
    } else if (ol === 0 ? os >= f : os > f) this.hunkKind = 'body';
    else {
      this.hunkKind = 'straddle';
      this.inFm = true;
      this.newFence = -1;
    }
  }

  private hunkLine(raw: string): void {
    const c = raw.charCodeAt(0);
    if (c === 92 /* \ No newline */) return;
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(1, -1) : raw.slice(1);
    if (c === 45 /* - */) {
      this.oldLeft--;
      const fm =
        this.hunkKind === 'fm' || (this.hunkKind === 'straddle' && this.oldNo < this.fence);
      this.oldNo++;
      if (fm || this.hunkKind === 'shape') {
        const f = fieldOf(text);
        if (f !== undefined && !this.fields.has(f)) this.fields.set(f, undefined);
      }
      return;
    }
    if (c !== 43 /* + */) return;
    this.newLeft--;
    const no = this.newNo++;
    let fm = this.hunkKind === 'fm';
    if (this.hunkKind === 'straddle') {
      if (text.trimEnd() === '---' || (no === 1 && text.startsWith('---'))) {
        if (no === 1) this.inFm = true;
        else if (this.inFm) {
          this.inFm = false;
          this.newFence = no;
        }
        return;
      }
      fm = this.inFm;
    }
    if (fm || this.hunkKind === 'shape') {
      const f = fieldOf(text);
      if (f !== undefined) {
        this.fields.set(f, scalar(text.slice(f.length + 1)));
        return;
      }
    }
    if (!fm && text.startsWith('- ') && text.charCodeAt(2) >= 48 && text.charCodeAt(2) <= 57) {
      const e = parseEntry(text.slice(2));
      if (e.raw === undefined) {
        const log: TouchLog = { time: e.time, agent: e.agent, verb: e.verb };
        if (e.target !== undefined) log.target = e.target;
        this.logs.push(log);
      }
    }
  }

  private endFile(): void {
    const path = this.path;
    if (path === undefined || !this.relevant) return;
    this.path = undefined;
    this.relevant = false;
    this.oldLeft = this.newLeft = 0;
    if (this.deleted) {
      this.paths.delete(path);
      return;
    }
    // the file name stands for the id when the file never said one
    const id = this.fields.get('id') ?? this.paths.get(path)?.id ?? fileStem(path);
    this.paths.set(path, { id, fence: this.newFence });
    let task = this.tasks.get(id);
    if (task === undefined) {
      task = { id, touches: [] };
      this.tasks.set(id, task);
    }
    const f = this.fields;
    if (task.created === undefined && f.get('created') !== undefined)
      task.created = f.get('created');
    if (f.has('due')) task.due = f.get('due');
    if (f.has('assignee')) this.assignees.set(id, f.get('assignee'));
    const status = f.get('status');
    if (status === undefined && this.logs.length === 0 && task.touches.length > 0) return;
    const touch: Touch = { time: this.time, log: this.logs, assignee: this.assignees.get(id) };
    if (status !== undefined) touch.status = status;
    if (this.boundary) touch.boundary = true;
    task.touches.push(touch);
  }
}
