/** A binary min-heap of numbers (node indices) under a caller's order. */
export class MinHeap {
  private readonly items: number[] = [];

  /** `before(a, b)`: true when `a` must come out before `b`. */
  constructor(private readonly before: (a: number, b: number) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): number | undefined {
    return this.items[0];
  }

  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(x, a[parent]!)) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = x;
  }

  pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const c = r < a.length && this.before(a[r]!, a[l]!) ? r : l;
      if (!this.before(a[c]!, last)) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
