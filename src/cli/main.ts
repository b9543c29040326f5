/** CLI entry: the only place that sets process.exitCode. */
import { runCli } from './program.js';

// `baton list | head`: when the reader closes the pipe, stop quietly, as git does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2));
