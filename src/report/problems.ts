/** Reporters for `check` results: text for people, JSON for tools, GitHub annotations for CI. */
import type { CheckResult } from '../core/check.js';
import type { Problem } from '../core/types.js';
import { formatLocation } from '../errors.js';
import type { Paint } from './color.js';

export function problemsText(result: CheckResult, p: Paint): string {
  const lines = result.problems.map((x) => {
    const where = formatLocation(x.path, x.line);
    const sev = x.severity === 'error' ? p.red('error') : p.yellow('warning');
    return `${where ? `${where}: ` : ''}${sev} [${x.rule}] ${x.message}${x.introduced ? p.bold(' (new)') : ''}`;
  });
  const errors = result.problems.filter((x) => x.severity === 'error').length;
  const warnings = result.problems.length - errors;
  const introduced = result.problems.filter((x) => x.introduced).length;
  const since = introduced > 0 ? `, ${introduced} new since the base` : '';
  if (result.problems.length === 0) lines.push(p.green('check: no problems found'));
  else
    lines.push(
      `check: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${since}`,
    );
  return lines.join('\n');
}

export function problemsJson(result: CheckResult): string {
  return `${JSON.stringify({ ok: result.ok, problems: result.problems }, null, 2)}\n`;
}

/** GitHub Actions workflow commands: `::error file=...,line=...,title=...::message`. */
export function problemsGithub(result: CheckResult): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const line = (x: Problem) => {
    const props = [
      ...(x.path ? [`file=${prop(x.path)}`] : []),
      ...(x.line ? [`line=${x.line}`] : []),
      `title=${prop(`baton ${x.rule}`)}`,
    ];
    return `::${x.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${esc(x.message)}`;
  };
  return result.problems.map(line).join('\n');
}
