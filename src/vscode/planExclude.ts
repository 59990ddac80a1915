/**
 * "Exclude from Plan": the one insertion that adds a path to the plan's top-level `exclude:` list, found with the
 * YAML parser's source ranges so that the rest of relayout.yaml (comments, quoting, order) stays byte for byte.
 * No `vscode` import: the view turns the insertion into a WorkspaceEdit.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

export interface Insertion {
  offset: number;
  text: string;
}

/** The plan glob (root-relative) that names exactly `path`: glob characters escaped, a folder with a trailing `/`. */
export function excludeGlobFor(path: string, root: string, folder: boolean): string | undefined {
  const prefix = root === '' ? '' : `${root}/`;
  if (!path.startsWith(prefix) || path.length === prefix.length) return undefined;
  const escaped = path.slice(prefix.length).replace(/[\\*?{}[\]]/g, (character) => `\\${character}`);
  return folder ? `${escaped}/` : escaped;
}

/**
 * Where and what to insert into the plan text so that its `exclude` list ends with `glob`; undefined when the plan's
 * top level is not a mapping or `exclude` is neither absent, empty, nor a list (the plan check reports those).
 */
export function excludeInsertion(text: string, glob: string): Insertion | undefined {
  const document = parseDocument(text, { keepSourceTokens: true });
  if (document.errors.length > 0) return undefined;
  const contents = document.contents;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const entry = JSON.stringify(glob);
  if (contents === null) return { offset: text.length, text: `${endsLine(text, newline)}exclude:${newline}  - ${entry}${newline}` };
  if (!isMap(contents)) return undefined;
  const pair = contents.items.find((item) => isScalar(item.key) && item.key.value === 'exclude');
  if (!pair) {
    // After the `root:` line, where a reader of the plan looks for what it covers; else at the end.
    const rootPair = contents.items.find((item) => isScalar(item.key) && item.key.value === 'root');
    const rootEnd = isScalar(rootPair?.value) ? rootPair.value.range?.[1] : undefined;
    const block = `exclude:${newline}  - ${entry}${newline}`;
    if (rootEnd === undefined) return { offset: text.length, text: `${endsLine(text, newline)}${block}` };
    const lineEnd = endOfLine(text, rootEnd);
    return { offset: lineEnd.next, text: lineEnd.next === text.length ? `${endsLine(text, newline)}${block}` : block };
  }
  const value = pair.value;
  if (value === null || (isScalar(value) && value.value === null)) {
    const keyEnd = isScalar(pair.key) ? pair.key.range?.[1] : undefined;
    if (keyEnd === undefined) return undefined;
    const line = endOfLine(text, keyEnd);
    return { offset: line.end, text: `${newline}  - ${entry}` };
  }
  if (!isSeq(value) || !value.range) return undefined;
  if (value.flow) {
    const close = text.lastIndexOf(']', value.range[1]);
    if (close < 0) return undefined;
    return { offset: close, text: value.items.length === 0 ? entry : `, ${entry}` };
  }
  const last = value.items[value.items.length - 1];
  if (!isScalar(last) || !last.range) return undefined;
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const dash = text.slice(lineStart, last.range[0]);
  if (!/^\s*-\s+$/.test(dash)) return undefined;
  return { offset: endOfLine(text, last.range[1]).end, text: `${newline}${dash}${entry}` };
}

/** The end of the line holding `offset` (before its CR LF or LF, so after any trailing comment), and the next line. */
function endOfLine(text: string, offset: number): { end: number; next: number } {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return { end: text.length, next: text.length };
  return { end: text[newline - 1] === '\r' ? newline - 1 : newline, next: newline + 1 };
}

function endsLine(text: string, newline: string): string {
  return text === '' || text.endsWith('\n') ? '' : newline;
}
