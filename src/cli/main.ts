/** CLI entry: the only place that sets process.exitCode. */
import { captureOutput, storeMemo } from './memo.js';
import { runCli } from './program.js';

// `baton list | head`: when the reader closes the pipe, stop quietly, as git does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// bin/baton.js tried the answer memo first; if it missed, this run is recorded for the next.
const recording = captureOutput();
process.exitCode = await runCli(process.argv.slice(2));
if (recording) await storeMemo(Number(process.exitCode));
