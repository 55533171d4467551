/**
 * Maps 0-based character offsets in a text to 1-based line and column numbers.
 * Built once per text (an index of line starts), then each lookup is a binary search.
 * Line breaks are `\n`, `\r\n` and lone `\r`.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /** The 1-based line and column of a 0-based offset. */
  locate(offset: number): { offset: number; line: number; column: number } {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((s[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - (s[lo] as number) + 1 };
  }
}
