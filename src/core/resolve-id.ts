/**
 * Ids on the command line: a full id or a unique prefix of one, like git's short hashes.
 *
 * Decisions, tried in order:
 * 1. An exact id wins (even when it is also a prefix of longer ids).
 * 2. Case-sensitive prefixes: exactly one id starts with the query -> that id; several ->
 *    ambiguous (no case-insensitive fallback, which could only add candidates).
 * 3. No case-sensitive prefix: an id equal to the query ignoring case, if exactly one;
 *    else a unique case-insensitive prefix; several -> ambiguous.
 * 4. Otherwise not found. An empty query is never a prefix.
 * Candidates are sorted (plain string order), without repeats, at most 10.
 */
import { compareIds } from './graph.js';

export const MAX_CANDIDATES = 10;

export type IdResolution =
  | { ok: true; id: string }
  | { ok: false; reason: 'not-found' | 'ambiguous'; candidates: string[] };

function pick(matches: Set<string>): IdResolution | undefined {
  if (matches.size === 0) return undefined;
  if (matches.size === 1) return { ok: true, id: matches.values().next().value! };
  const candidates = [...matches].sort(compareIds).slice(0, MAX_CANDIDATES);
  return { ok: false, reason: 'ambiguous', candidates };
}

/** Resolve `query` against `ids` (duplicates allowed). */
export function resolveId(ids: readonly string[], query: string): IdResolution {
  if (query === '') return { ok: false, reason: 'not-found', candidates: [] };
  const prefixed = new Set<string>();
  for (const id of ids) {
    if (id === query) return { ok: true, id };
    if (id.startsWith(query)) prefixed.add(id);
  }
  const byPrefix = pick(prefixed);
  if (byPrefix) return byPrefix;
  const lower = query.toLowerCase();
  const sameIgnoringCase = new Set<string>();
  const prefixedIgnoringCase = new Set<string>();
  for (const id of ids) {
    const l = id.toLowerCase();
    if (l === lower) sameIgnoringCase.add(id);
    if (l.startsWith(lower)) prefixedIgnoringCase.add(id);
  }
  if (sameIgnoringCase.size === 1) return pick(sameIgnoringCase)!;
  return pick(prefixedIgnoringCase) ?? { ok: false, reason: 'not-found', candidates: [] };
}
