/** Splicing planned edits into a text. */

/** The part of an edit that splicing needs; `oldText`, when given, must match what is there. */
export interface Splice {
  start: number;
  end: number;
  newText: string;
  oldText?: string;
}

/**
 * Applies `edits` (offsets into the original `text`) in one pass; everything outside the ranges is
 * kept byte for byte. Throws when two edits overlap (or two insertions share a point: their order would be a guess),
 * or when an edit's `oldText` is not what the text holds at its range (the text changed since planning).
 */
export function applyEditsToText(text: string, edits: readonly Splice[]): string {
  const ordered = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 0; i < ordered.length; i++) {
    const edit = ordered[i];
    if (edit.start < 0 || edit.end < edit.start || edit.end > text.length) {
      throw new Error(`edit range ${edit.start}-${edit.end} lies outside a text of length ${text.length}`);
    }
    if (edit.oldText !== undefined && text.slice(edit.start, edit.end) !== edit.oldText) {
      throw new Error(
        `edit at ${edit.start}-${edit.end} expected ${JSON.stringify(edit.oldText)} but found ` +
          JSON.stringify(text.slice(edit.start, edit.end)),
      );
    }
    const previous = ordered[i - 1];
    if (previous && (previous.end > edit.start || (previous.start === edit.start && previous.end === edit.start))) {
      throw new Error(
        `overlapping edits at ${previous.start}-${previous.end} and ${edit.start}-${edit.end}`,
      );
    }
  }
  const parts: string[] = [];
  let position = 0;
  for (const edit of ordered) {
    parts.push(text.slice(position, edit.start), edit.newText);
    position = edit.end;
  }
  parts.push(text.slice(position));
  return parts.join('');
}
