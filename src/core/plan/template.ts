/**
 * A rule's `to` template. `$1`…`$9` (or `${10}`, braces when a digit follows) insert what the `from` glob's
 * wildcards matched; `${name}` is the matched file or folder name (`${basename}` means the same), `${stem}` that name
 * without its last extension, `${ext}` the extension with its dot; `$$` is a literal `$`. A trailing `/` means "into
 * this folder": the matched file or folder keeps its name there.
 */
import { globEscape, type Glob } from './glob';

export type TemplatePart =
  | { kind: 'literal'; text: string }
  | { kind: 'capture'; index: number; offset: number }
  | { kind: 'variable'; name: TemplateVariable; offset: number };

export const TEMPLATE_VARIABLES = ['name', 'basename', 'stem', 'ext'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface Template {
  source: string;
  parts: TemplatePart[];
  /** True when the template ends with `/`: the matched entry keeps its name inside that folder. */
  into: boolean;
}

export type TemplateResult =
  | { ok: true; template: Template }
  | { ok: false; message: string; offset: number; unknownVariable?: string };

/** Parses a `to` template; a malformed one yields a sentence and the offset of the fault. */
export function parseTemplate(source: string): TemplateResult {
  const parts: TemplatePart[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') parts.push({ kind: 'literal', text: literal });
    literal = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '*' || c === '?') {
      return {
        ok: false,
        offset: i,
        message: `\`to\` is a template, not a glob: write $1 for what the first wildcard of \`from\` matched, not \`${c}\``,
      };
    }
    if (c !== '$') {
      literal += c;
      continue;
    }
    const next = source[i + 1];
    if (next === '$') {
      literal += '$';
      i++;
    } else if (next !== undefined && /[1-9]/.test(next)) {
      flush();
      parts.push({ kind: 'capture', index: Number(next), offset: i });
      i++;
    } else if (next === '{') {
      const close = source.indexOf('}', i);
      if (close < 0) return { ok: false, offset: i, message: 'a `${` has no closing `}`' };
      const inner = source.slice(i + 2, close);
      flush();
      if (/^[1-9][0-9]*$/.test(inner)) {
        parts.push({ kind: 'capture', index: Number(inner), offset: i });
      } else if ((TEMPLATE_VARIABLES as readonly string[]).includes(inner)) {
        parts.push({ kind: 'variable', name: inner as TemplateVariable, offset: i });
      } else {
        return {
          ok: false,
          offset: i,
          unknownVariable: inner,
          message: `\`\${${inner}}\` is not a template variable (known: ${TEMPLATE_VARIABLES.map((v) => `\${${v}}`).join(', ')}, and $1, $2… for the wildcards)`,
        };
      }
      i = close;
    } else {
      return { ok: false, offset: i, message: 'a lone `$`: write $1 for a wildcard, ${name} for the name, or $$ for a dollar sign' };
    }
  }
  flush();
  return { ok: true, template: { source, parts, into: source.endsWith('/') } };
}

/** The highest capture number the template uses (0 when none). */
export function highestCapture(template: Template): TemplatePart & { kind: 'capture' } | undefined {
  let highest: (TemplatePart & { kind: 'capture' }) | undefined;
  for (const part of template.parts) {
    if (part.kind === 'capture' && (!highest || part.index > highest.index)) highest = part;
  }
  return highest;
}

/** True when the template inserts nothing: every match lands on the same path. */
export function isLiteral(template: Template): boolean {
  return template.parts.every((part) => part.kind === 'literal');
}

/**
 * The root-relative destination of `entry` (a file or folder path) whose glob captures were `captures`. May contain
 * `..` or empty segments only if the template does; callers normalize and check.
 */
export function renderTemplate(template: Template, entry: string, captures: string[]): string {
  const name = entry.slice(entry.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'literal') out += part.text;
    else if (part.kind === 'capture') out += captures[part.index - 1] ?? '';
    else if (part.name === 'stem') out += stem;
    else if (part.name === 'ext') out += ext;
    else out += name;
  }
  return template.into ? out + name : out;
}

/**
 * A glob matching every path the template can produce for matches of `from`, so that an entry already moved by a
 * rule is recognised at its destination. A capture becomes its wildcard; the kept name (a trailing `/`, `${name}`)
 * becomes the last segment of `from`, which that name matched; `${stem}` and `${ext}` become `*`.
 */
export function destinationGlob(template: Template, from: Glob): string {
  const segments = from.source.replace(/\/$/, '').split('/');
  const last = segments[segments.length - 1];
  const namePattern = last === '**' ? '*' : last;
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'literal') out += globEscape(part.text);
    else if (part.kind === 'capture') out += captureGlob(from, part.index - 1);
    else if (part.name === 'name' || part.name === 'basename') out += namePattern;
    else out += '*';
  }
  if (template.into) out += namePattern;
  return out.replace(/\/+/g, '/').replace(/\/$/, '');
}

function captureGlob(from: Glob, index: number): string {
  const kind = from.captures[index];
  if (kind === 'globstar') return '**';
  if (kind === 'alternation') return `{${(from.alternatives[index] ?? []).map(globEscape).join(',')}}`;
  if (kind === 'question') return '?';
  return '*';
}
