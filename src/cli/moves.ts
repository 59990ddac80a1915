import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import type { Move } from '../core/types';
import { UsageError } from './args';
import { workspacePath } from './workspace';

/**
 * The moves a `relayout move` asks for: `FROM TO`, or the entries of a `--moves FILE.json` list. Paths become
 * workspace paths; any malformed entry is a `UsageError` naming it.
 */
export function requestedMoves(rootAbs: string, positionals: readonly string[], movesFile: string | undefined): Move[] {
  if (movesFile !== undefined) {
    if (positionals.length > 0) throw new UsageError(`give either FROM TO or --moves FILE.json, not both`);
    return movesFromFile(rootAbs, movesFile);
  }
  if (positionals.length !== 2) throw new UsageError(`'move' needs FROM and TO (or --moves FILE.json)`);
  return [checkedMove(rootAbs, positionals[0], positionals[1], '')];
}

function movesFromFile(rootAbs: string, file: string): Move[] {
  const fileAbs = nodePath.resolve(rootAbs, file);
  let text: string;
  try {
    text = readFileSync(fileAbs, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read moves file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`moves file ${file} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new UsageError(`moves file ${file} must hold a list of {"from": …, "to": …}`);
  if (value.length === 0) throw new UsageError(`moves file ${file} lists no moves`);
  return value.map((entry: unknown, index) => {
    const where = `moves file ${file}, entry ${index + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new UsageError(`${where}: not an object`);
    const record = entry as Record<string, unknown>;
    const extra = Object.keys(record).filter((key) => key !== 'from' && key !== 'to');
    if (extra.length > 0) throw new UsageError(`${where}: unknown key '${extra[0]}' (only "from" and "to")`);
    for (const key of ['from', 'to'] as const) {
      if (typeof record[key] !== 'string' || record[key] === '') throw new UsageError(`${where}: "${key}" must be a non-empty string`);
    }
    return checkedMove(rootAbs, record.from as string, record.to as string, `${where}: `);
  });
}

function checkedMove(rootAbs: string, from: string, to: string, where: string): Move {
  const move = { from: workspacePath(rootAbs, from, `${where}FROM`), to: workspacePath(rootAbs, to, `${where}TO`) };
  if (move.from === '' || move.to === '') throw new UsageError(`${where}cannot move the root itself or onto it`);
  return move;
}
