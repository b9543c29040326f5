/**
 * The floor: the least any command that loads every task can do. Walks each `.tasks/<ns>/` with
 * readdirSync and reads every `.md` file with readFileSync(path, 'utf8'); nothing else (no
 * parsing, no imports beyond node:fs). Spawned as its own process by the bench runner with
 * cwd = the generated repository. Prints the file count so the runner can sanity-check it.
 */
import { readdirSync, readFileSync } from 'node:fs';

let files = 0;
let chars = 0;
for (const entry of readdirSync('.tasks', { withFileTypes: true })) {
  if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
  const dir = `.tasks/${entry.name}/`;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.md')) continue;
    chars += readFileSync(dir + name, 'utf8').length;
    files++;
  }
}
process.stdout.write(`${files} ${chars}\n`);
