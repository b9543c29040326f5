/**
 * Writes YAML for front matter: values (`serializeValue`), whole lines (`fieldLine`) and new
 * task files (`renderTask`). Every string is written so that it reads back as exactly the
 * same string under the YAML 1.2 core schema, plain when the fast reader (`fast-yaml.ts`)
 * reads it back as that string, else double-quoted; so what baton writes stays on the fast
 * path. Lists and maps are written in flow style (`[a, b]`, `{ k: v }`). This module does
 * not import the `yaml` package (`baton new` stays fast); `edit.ts` re-exports it.
 */
import { isDoubleQuoteSafe, isPlainSafe } from './fast-yaml.js';

/** Keys written plain; any other key is quoted. */
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Characters escaped inside double quotes besides `"` and `\`: controls and odd spaces. */
const ESCAPE =
  /[\u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function hex4(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A double-quoted YAML string; JSON escapes are valid YAML escapes. */
function quote(s: string): string {
  if (isDoubleQuoteSafe(s)) return `"${s}"`;
  return `"${s
    .replace(/["\\]/g, (c) => `\\${c}`)
    .replace(ESCAPE, (c) => {
      switch (c) {
        case '\n':
          return '\\n';
        case '\t':
          return '\\t';
        case '\r':
          return '\\r';
        default:
          return hex4(c);
      }
    })}"`;
}

function serializeString(s: string, flow: boolean): string {
  return isPlainSafe(s, flow) ? s : quote(s);
}

function serializeNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Number.POSITIVE_INFINITY) return '.inf';
  if (n === Number.NEGATIVE_INFINITY) return '-.inf';
  if (Object.is(n, -0)) return '-0.0';
  return String(n);
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** One value; in flow context (inside `[]`/`{}`) `null` is written `null`. */
function serializeNode(v: unknown, flow: boolean): string {
  if (v === null || v === undefined) return flow ? 'null' : '';
  switch (typeof v) {
    case 'string':
      return serializeString(v, flow);
    case 'number':
      return serializeNumber(v);
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw new Error(`cannot write a ${typeof v} into front matter`);
  }
  if (v instanceof Date) return serializeString(v.toISOString(), flow);
  if (Array.isArray(v)) {
    return v.length === 0 ? '[]' : `[${v.map((x) => serializeNode(x ?? null, true)).join(', ')}]`;
  }
  if (!isPlainObject(v)) throw new Error('cannot write this kind of object into front matter');
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (x !== undefined) parts.push(`${serializeKey(k)}: ${serializeNode(x, true)}`);
  }
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

/**
 * A top-level value as YAML text: `''` for null (written as `key:`), plain or
 * double-quoted strings, numbers and booleans plain, lists and maps in flow style.
 */
export function serializeValue(v: unknown): string {
  return serializeNode(v, false);
}

/** A key: plain when simple (`[A-Za-z_][A-Za-z0-9_-]*`, not `true`/`null`...), else quoted. */
export function serializeKey(key: string): string {
  return SIMPLE_KEY.test(key) && isPlainSafe(key, true) ? key : quote(key);
}

/** `key: value` (or `key:` for null), without a line ending. */
export function fieldLine(key: string, value: unknown): string {
  const s = serializeValue(value);
  return s === '' ? `${serializeKey(key)}:` : `${serializeKey(key)}: ${s}`;
}

/** A new task file: fences, one line per field in order (undefined skipped), then `body`. */
export function renderTask(
  fields: Array<[string, unknown]>,
  body: string,
  eol: '\n' | '\r\n' = '\n',
): string {
  let out = `---${eol}`;
  for (const [key, value] of fields) {
    if (value !== undefined) out += fieldLine(key, value) + eol;
  }
  return `${out}---${eol}${body}`;
}
