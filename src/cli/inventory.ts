import { buildInventory, formatInventory } from '../core/inventory/inventory';
import { DiskFileSource } from '../core/inventory/source';
import { booleanFlag } from './args';
import { EXIT_OK, out, printJson } from './io';
import type { CommandContext } from './context';

/** `relayout inventory [--json]`. */
export async function runInventory({ io, args, rootAbs }: CommandContext): Promise<number> {
  const inventory = buildInventory(new DiskFileSource(rootAbs));
  if (booleanFlag(args, 'json')) printJson(io, inventory);
  else out(io, formatInventory(inventory).trimEnd());
  return EXIT_OK;
}
