/**
 * Reading the JSON files other tools write: one object per line (JSON Lines), or one
 * JSON array. A line that does not parse is reported with its number, never skipped in
 * silence.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export interface JsonRecord {
  value: Record<string, unknown>;
  /** 1-based line the object starts on (0 when the whole file was one array). */
  line: number;
}

/** `path` itself when it is a file, else the first of `candidates` under it that exists. */
export async function locate(path: string, candidates: readonly string[]): Promise<string> {
  const st = await stat(path).catch(() => undefined);
  if (!st) throw new UserError('USAGE', `no such file or folder: ${path}`);
  if (st.isFile()) return path;
  for (const c of candidates) {
    const full = join(path, c);
    const s = await stat(full).catch(() => undefined);
    if (s?.isFile()) return full;
  }
  throw new UserError('USAGE', `found none of ${candidates.join(', ')} under ${path}`);
}

/**
 * The objects in `text`: a JSON array (of objects), or JSON Lines. Bad lines and non-object
 * items go to `bad` as "line N: why".
 */
export function parseJsonRecords(text: string, bad: string[]): JsonRecord[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // Taskwarrior before json.array=on printed `[` + objects one per line + `]`: fall
      // back to lines so one bad task does not lose the others.
      if (!text.includes('\n')) {
        throw new UserError('USAGE', `not JSON: ${(error as Error).message}`);
      }
      return parseLines(text, bad);
    }
    if (!Array.isArray(parsed)) throw new UserError('USAGE', 'expected a JSON array');
    const out: JsonRecord[] = [];
    parsed.forEach((item, i) => {
      if (isObject(item)) out.push({ value: item, line: 0 });
      else bad.push(`item ${i + 1}: not a JSON object`);
    });
    return out;
  }
  return parseLines(text, bad);
}

function parseLines(text: string, bad: string[]): JsonRecord[] {
  const out: JsonRecord[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    if (line === '' || line === '[' || line === ']') continue;
    if (line.endsWith(',')) line = line.slice(0, -1);
    if (line.startsWith('[')) line = line.slice(1);
    if (line.endsWith(']')) line = line.slice(0, -1);
    try {
      const value: unknown = JSON.parse(line);
      if (isObject(value)) out.push({ value, line: i + 1 });
      else bad.push(`line ${i + 1}: not a JSON object`);
    } catch (error) {
      bad.push(`line ${i + 1}: not JSON (${(error as Error).message})`);
    }
  }
  return out;
}

export async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A string list from an array of strings (others dropped) or a comma-separated string. */
export function strList(value: unknown): string[] {
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string' && v !== '');
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

/** Estimate text for a number of minutes: whole hours as `4h`, else minutes. */
export function minutesEstimate(minutes: number): string {
  return minutes > 0 && minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}
