import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as nodePath from 'node:path';

/** A kustomize implementation on this machine: `kustomize build DIR` or `kubectl kustomize DIR`. */
export interface KustomizeTool {
  /** Absolute path of the executable. */
  executable: string;
  flavor: 'kustomize' | 'kubectl';
}

export type KustomizeLookup =
  | { status: 'found'; tool: KustomizeTool }
  /** Nothing on PATH: rendering is skipped, not failed. */
  | { status: 'missing'; message: string }
  /** An explicitly requested binary that cannot be run: a bad argument. */
  | { status: 'invalid'; message: string };

/** The message shown when rendering is skipped for want of a binary. */
export const NO_KUSTOMIZE_MESSAGE = 'no kustomize found (install kustomize or kubectl, or pass --kustomize-bin)';

/** Environment variable naming the kustomize or kubectl binary to use. */
export const KUSTOMIZE_ENV = 'RELAYOUT_KUSTOMIZE';

/**
 * Finds the kustomize implementation to render with: an explicit binary (a flag, else `RELAYOUT_KUSTOMIZE`), or else
 * `kustomize` and then `kubectl` from PATH. A binary whose name starts with `kubectl` is run as `kubectl kustomize`.
 */
export function findKustomizeTool(explicit: string | undefined, env: NodeJS.ProcessEnv): KustomizeLookup {
  const requested = explicit ?? (env[KUSTOMIZE_ENV] || undefined);
  if (requested !== undefined) {
    const executable = requested.includes('/') || requested.includes('\\') ? requested : searchPath(requested, env);
    if (executable === undefined || !isExecutableFile(executable)) {
      return { status: 'invalid', message: `kustomize binary not found or not executable: ${requested}` };
    }
    return { status: 'found', tool: { executable: nodePath.resolve(executable), flavor: flavorOf(executable) } };
  }
  for (const name of ['kustomize', 'kubectl'] as const) {
    const executable = searchPath(name, env);
    if (executable !== undefined) return { status: 'found', tool: { executable, flavor: name } };
  }
  return { status: 'missing', message: NO_KUSTOMIZE_MESSAGE };
}

/** The arguments that render the kustomization in `dir`. */
export function buildArguments(tool: KustomizeTool, dir: string): string[] {
  return tool.flavor === 'kubectl' ? ['kustomize', dir] : ['build', dir];
}

/** The kustomize version the tool reports (`v5.5.0`), or undefined when it cannot tell. */
export function kustomizeVersion(tool: KustomizeTool): Promise<string | undefined> {
  const args = tool.flavor === 'kubectl' ? ['version', '--client'] : ['version'];
  return new Promise((resolve) => {
    execFile(tool.executable, args, { timeout: 20_000 }, (error, stdout) => {
      if (error) return resolve(undefined);
      const text = String(stdout);
      const match = tool.flavor === 'kubectl' ? /Kustomize Version:\s*(\S+)/.exec(text) : /(v\d+\.\d+\.\d+\S*)/.exec(text);
      resolve(match ? match[1] : text.trim().split('\n')[0] || undefined);
    });
  });
}

function flavorOf(executable: string): KustomizeTool['flavor'] {
  return nodePath.basename(executable).toLowerCase().startsWith('kubectl') ? 'kubectl' : 'kustomize';
}

function searchPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const folder of (env.PATH ?? '').split(nodePath.delimiter)) {
    if (folder === '') continue;
    for (const extension of extensions) {
      const candidate = nodePath.join(folder, name + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
