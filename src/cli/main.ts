/** CLI entry: the only place that sets process.exitCode. */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
