import { describe, expect, it } from 'vitest';
import { printJson, printJsonArray } from '../../src/report/task-json.js';

/** Items of every shape JSON has, and one it drops (`undefined`), per index. */
function item(i: number): unknown {
  switch (i % 5) {
    case 0:
      return {
        id: `t-${i}`,
        title: `Täsk "${i}" ✓`,
        labels: ['a', 'b'],
        nested: { x: [1, { y: null }] },
      };
    case 1:
      return { id: `t-${i}`, empty: [], none: {}, gone: undefined };
    case 2:
      return [i, 'two', [3]];
    case 3:
      return undefined;
    default:
      return i % 2 === 0 ? null : `plain ${i}`;
  }
}

describe('printJsonArray', () => {
  for (const n of [0, 1, 2, 255, 256, 257, 512, 700]) {
    it(`writes exactly what printJson writes for ${n} items, in pieces ending in newlines`, () => {
      const items = Array.from({ length: n }, (_, i) => i);
      const pieces: string[] = [];
      printJsonArray(
        (text) => pieces.push(text),
        items,
        (i, index) => {
          expect(index).toBe(i);
          return item(i);
        },
      );
      expect(pieces.join('')).toBe(printJson(items.map(item)));
      for (const piece of pieces) expect(piece.endsWith('\n')).toBe(true);
      if (n > 256) expect(pieces.length).toBeGreaterThan(3);
    });
  }
});
