/**
 * Finds which of many strings occur in a text, in one pass (Aho-Corasick): the PII test looks for
 * tens of thousands of e-mails, names, phones and ids in every file of the built site, which a
 * loop of `includes` would make minutes long. Matching is case-insensitive and whole-word: a match
 * must not sit inside a longer word ("Eric Li" is not found in "numeric literal").
 */
const WORD = /[\p{L}\p{N}]/u;

export class MultiMatcher {
  private readonly next: Map<string, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];
  private readonly needles: string[];

  constructor(needles: Iterable<string>) {
    this.needles = [...new Set([...needles].map((n) => n.toLowerCase()).filter((n) => n.length > 0))];
    this.needles.forEach((needle, index) => {
      let state = 0;
      for (let k = 0; k < needle.length; k++) {
        const ch = needle[k] as string;
        let to = this.next[state]?.get(ch);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[state]?.set(ch, to);
        }
        state = to;
      }
      this.out[state]?.push(index);
    });
    // Breadth-first: each state's failure link is the longest proper suffix that is also a prefix.
    const queue = [...(this.next[0]?.values() ?? [])];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      for (const [ch, to] of this.next[state] ?? []) {
        let f = this.fail[state] as number;
        while (f !== 0 && !this.next[f]?.has(ch)) f = this.fail[f] as number;
        const link = this.next[f]?.get(ch);
        this.fail[to] = link !== undefined && link !== to ? link : 0;
        this.out[to]?.push(...(this.out[this.fail[to] as number] ?? []));
        queue.push(to);
      }
    }
  }

  /** The needles found in `text`. */
  find(text: string): string[] {
    const found = new Set<number>();
    const lower = text.toLowerCase();
    let state = 0;
    for (let i = 0; i < lower.length; i++) {
      const ch = lower[i] as string;
      while (state !== 0 && !this.next[state]?.has(ch)) state = this.fail[state] as number;
      state = this.next[state]?.get(ch) ?? 0;
      for (const n of this.out[state] ?? []) {
        const start = i - (this.needles[n] as string).length + 1;
        const before = lower[start - 1] ?? " ";
        const after = lower[i + 1] ?? " ";
        if (!WORD.test(before) && !WORD.test(after)) found.add(n);
      }
    }
    return [...found].map((i) => this.needles[i] as string);
  }
}
