import { booleanFlag, UsageError } from './args';
import type { CommandContext } from './context';
import { formatReference, formatReview } from './format';
import { EXIT_OK, out, printJson } from './io';
import { openWorkspace, workspacePath } from './workspace';
import { isInside } from '../core/paths';
import { referenceResolves } from '../core/refs/resolves';
import type { Reference } from '../core/types';

/** `relayout refs [FILE] [--json]`: the whole graph, or what references FILE and what FILE references. */
export async function runRefs({ io, args, rootAbs }: CommandContext): Promise<number> {
  const { source, graph } = openWorkspace(io, rootAbs);
  const json = booleanFlag(args, 'json');
  const exists = (ref: Reference): boolean => source.stat(ref.target) !== undefined;
  const withStatus = (ref: Reference) => ({ ...ref, exists: exists(ref) });
  // A file a command writes (`output`) is not missing while its folder exists.
  const resolves = (ref: Reference): boolean => referenceResolves(ref, source);

  if (args.positionals.length === 0) {
    const references = [...graph.allRefs()];
    if (json) {
      printJson(io, { files: graph.files().length, references: references.map(withStatus), review: graph.review(), problems: graph.problems() });
      return EXIT_OK;
    }
    const referrers = new Set(references.map((ref) => ref.from));
    out(io, `${references.length} references in ${referrers.size} of ${graph.files().length} files`);
    for (const ref of references) out(io, `  ${formatReference(ref, resolves(ref))}`);
    out(io, `Needs review (${graph.review().length})${graph.review().length > 0 ? ':' : ''}`);
    for (const item of graph.review()) out(io, `  ${formatReview(item)}`);
    return EXIT_OK;
  }

  const path = workspacePath(rootAbs, args.positionals[0], 'FILE');
  // References from inside a folder to itself move with it; only the ones from outside tie it to the rest.
  const incoming = graph.refsInto(path).filter((ref) => !(source.stat(path) === 'directory' && isInside(ref.from, path)));
  const outgoing = source.stat(path) === 'file' || source.stat(path) === 'symlink' ? [...graph.refsFrom(path)] : [];
  if (source.stat(path) === undefined && incoming.length === 0) {
    throw new UsageError(`${path} does not exist and nothing references it`);
  }
  const review = graph.review().filter((item) => item.file === path || item.target === path);
  if (json) {
    printJson(io, { path, kind: graph.kindOf(path) ?? null, incoming: incoming.map(withStatus), outgoing: outgoing.map(withStatus), review });
    return EXIT_OK;
  }
  out(io, `${path}${graph.kindOf(path) ? ` (${graph.kindOf(path)})` : source.stat(path) === 'directory' ? ' (folder)' : ''}`);
  out(io, `Referenced by (${incoming.length})${incoming.length > 0 ? ':' : ''}`);
  for (const ref of incoming) out(io, `  ${ref.from}:${ref.line}:${ref.column}  ${ref.kind}  ${ref.text}${ref.target !== path ? `  (→ ${ref.target})` : ''}`);
  out(io, `References (${outgoing.length})${outgoing.length > 0 ? ':' : ''}`);
  for (const ref of outgoing) out(io, `  ${ref.line}:${ref.column}  ${ref.kind}  ${ref.text} → ${ref.target || '.'}  ${resolves(ref) ? 'ok' : 'MISSING'}`);
  if (review.length > 0) {
    out(io, `Needs review (${review.length}):`);
    for (const item of review) out(io, `  ${formatReview(item)}`);
  }
  return EXIT_OK;
}
