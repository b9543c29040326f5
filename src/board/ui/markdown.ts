/// <reference lib="dom" />
// A task body, Markdown-ish, as plain text nodes: headings, paragraphs, list items, checkboxes
// and code blocks. Task text never reaches innerHTML; preact escapes every string child.
import { html } from './html.js';

type Block =
  | { kind: 'h'; level: number; text: string }
  | { kind: 'p'; text: string }
  | { kind: 'li'; text: string; check: boolean | null }
  | { kind: 'code'; text: string };

export function blocks(src: string): Block[] {
  const out: Block[] = [];
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  const flush = () => {
    if (para.length > 0) out.push({ kind: 'p', text: para.join(' ') });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*(```|~~~)/.test(lines[i]!); i++) code.push(lines[i]!);
      out.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    const head = /^(#{1,6})\s+(.*)$/.exec(line);
    if (head) {
      flush();
      out.push({ kind: 'h', level: head[1]!.length, text: head[2]! });
      continue;
    }
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[([ xX])\]\s*)?(.*)$/.exec(line);
    if (item) {
      flush();
      const check = item[1] === undefined ? null : item[1] !== ' ';
      out.push({ kind: 'li', text: item[2]!, check });
      continue;
    }
    if (line.trim() === '') flush();
    else para.push(line.trim());
  }
  flush();
  return out;
}

export function Markdown({ source }: { source: string }) {
  return html`<div class="md">
    ${blocks(source).map((b, i) => {
      switch (b.kind) {
        case 'h':
          return b.level <= 2
            ? html`<h3 key=${i}>${b.text}</h3>`
            : html`<h4 key=${i}>${b.text}</h4>`;
        case 'p':
          return html`<p key=${i}>${b.text}</p>`;
        case 'code':
          return html`<pre key=${i}>${b.text}</pre>`;
        default:
          return html`<div key=${i} class=${`li${b.check === null ? '' : b.check ? ' checked' : ' unchecked'}`}>
            ${b.check === null ? '• ' : b.check ? '☑ ' : '☐ '}${b.text}
          </div>`;
      }
    })}
  </div>`;
}
