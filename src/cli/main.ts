/** CLI entry: the only place that sets process.exitCode. */
import { captureOutput, storeMemo } from './memo.js';
import { runCli } from './program.js';
import { quietOnClosedPipe } from './quiet-pipe.js';

quietOnClosedPipe();

// bin/baton.js tried the answer memo first; if it missed, this run is recorded for the next.
const recording = captureOutput();
process.exitCode = await runCli(process.argv.slice(2));
if (recording) await storeMemo(Number(process.exitCode));
