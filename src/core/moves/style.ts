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
