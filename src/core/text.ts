/** Offsets ↔ 1-based line/column over a text, by binary search on line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }

  /** Offset of the start of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
  }

  get lineCount(): number {
    return this.starts.length;
  }

  get source(): string {
    return this.text;
  }
}

const WHITESPACE = /\s/;

/** `/\s/.test(text[at])` without a regular-expression call for the ASCII characters that are nearly all of a text. */
export function isWhitespaceAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return WHITESPACE.test(text[at]);
}

/** A comment's text holds a slash or a file name outside URLs (licence headers hold only URLs and version numbers). */
export function mayNamePath(text: string): boolean {
  return /\/|[\w-]\.[A-Za-z][A-Za-z0-9]{0,11}\b/.test(text.replace(/[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*/g, ''));
}

/**
 * The full-line `#` comments of a text (`#` after blanks only), found from one `#` to the next: a line-anchored
 * regular expression tries every offset of a large manifest.
 */
export function fullLineComments(text: string): { hash: number; bodyEnd: number; body: string }[] {
  const comments: { hash: number; bodyEnd: number; body: string }[] = [];
  for (let hash = text.indexOf('#'); hash >= 0; ) {
    const newline = text.indexOf('\n', hash);
    const lineEnd = newline < 0 ? text.length : newline;
    let before = hash - 1;
    while (before >= 0 && (text[before] === ' ' || text[before] === '\t' || text[before] === '\uFEFF')) before--;
    if (before < 0 || text[before] === '\n') {
      const bodyEnd = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
      comments.push({ hash, bodyEnd, body: text.slice(hash + 1, bodyEnd) });
      hash = newline < 0 ? -1 : text.indexOf('#', newline);
    } else {
      hash = text.indexOf('#', hash + 1);
    }
  }
  return comments;
}
