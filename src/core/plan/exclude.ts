/**
 * The plan's `exclude` globs in `.gitignore` syntax relative to the workspace root, the form `DiskFileSource`'s
 * `exclude` option takes, so that excluded files are never listed, indexed or moved. The plan's proposal is left out
 * too: it records the layout before the migration, and rewriting its current → proposed mapping as files move would
 * turn every line of it into `new → new`.
 */
import type { Plan } from './types';

/**
 * Each exclude glob anchored at the plan's root, with `{a,b}` expanded into one pattern per alternative
 * (`.gitignore` has no alternation). `*`, `?`, `**`, `\` escapes and a trailing `/` mean the same in both syntaxes.
 */
export function excludePatterns(plan: Plan): string[] {
  const prefix = plan.root === '' ? '/' : `/${plan.root}/`;
  const patterns = plan.exclude.flatMap((glob) => expandAlternatives(glob).map((pattern) => prefix + pattern));
  if (plan.proposal !== undefined) patterns.push(`/${literalPattern(plan.proposal)}`);
  return patterns;
}

/** `path` as a `.gitignore` pattern that matches exactly it. */
function literalPattern(path: string): string {
  return path.replace(/[\\*?[\]]/g, '\\$&').replace(/ $/, '\\ ');
}

function expandAlternatives(glob: string): string[] {
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '\\') {
      i++;
      continue;
    }
    if (glob[i] !== '{') continue;
    const close = glob.indexOf('}', i);
    const head = glob.slice(0, i);
    const tail = glob.slice(close + 1);
    return glob
      .slice(i + 1, close)
      .split(',')
      .flatMap((alternative) => expandAlternatives(head + alternative + tail));
  }
  return [glob];
}
