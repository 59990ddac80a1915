/** Writing a rewritten path in the style of the path it replaces. */
import { relative } from '../paths';

/**
 * The text for a path to `newTarget` resolved against `newBase`, written the way `oldText` was: a `./` prefix stays
 * (unless the new path climbs with `../`), a trailing `/` stays, a root-absolute `/x` stays root-absolute (its base is
 * the root), plain stays plain, and a path to its own base is `.` (or `./` when the old text ended in `/`).
 */
export function rewritePathText(oldText: string, newBase: string, newTarget: string): string {
  const trailingSlash = oldText.length > 1 && oldText.endsWith('/');
  if (oldText.startsWith('/')) return newTarget === '' ? '/' : `/${newTarget}${trailingSlash ? '/' : ''}`;
  const path = relative(newBase, newTarget);
  if (path === '.') return trailingSlash ? './' : '.';
  const dotSlash = oldText.startsWith('./') && !path.startsWith('../');
  return `${dotSlash ? './' : ''}${path}${trailingSlash ? '/' : ''}`;
}

/**
 * A Markdown link destination is a URL: a path read from `a%20b.png` was decoded, so the new path is written encoded
 * the same way (`%` and each character the old text escaped), and a space, which would end the destination, is always
 * escaped unless the destination is written in `<…>`.
 */
export function encodeLinkPath(oldText: string, newText: string, angled: boolean): string {
  const escaped = new Set<string>();
  for (const match of oldText.matchAll(/%[0-9A-Fa-f]{2}/g)) {
    try {
      escaped.add(decodeURIComponent(match[0]));
    } catch {
      // Half of a multi-byte character: its characters are not escaped on their own here.
    }
  }
  if (escaped.size > 0) escaped.add('%');
  if (!angled) escaped.add(' ');
  let result = '';
  for (const character of newText) result += escaped.has(character) ? encodeURIComponent(character) : character;
  return result;
}
