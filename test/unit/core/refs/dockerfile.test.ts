import { strict as assert } from 'node:assert';
import { extractDockerfile } from '../../../../src/core/refs/dockerfile';
import type { Extraction } from '../../../../src/core/types';
import { workspaceOf } from './textWorkspace';

const DOCKERFILE = 'services/api/Dockerfile';
const workspace = workspaceOf(
  DOCKERFILE,
  'services/api/requirements.txt',
  'services/api/app/main.py',
  'services/api/config/settings.yaml',
  'services/shared/lib.py',
);

function extract(text: string): Extraction {
  return extractDockerfile({ path: DOCKERFILE, text, kind: 'dockerfile' }, workspace);
}

describe('core/refs/dockerfile', () => {
  it('reports COPY and ADD sources relative to the Dockerfile folder, not the destination', () => {
    const text = 'FROM python:3.12\nCOPY requirements.txt /app/\nadd --chown=app:app app/ config/settings.yaml /app/\n';
    const { refs, review } = extract(text);
    assert.deepEqual(review, []);
    assert.deepEqual(refs.map(({ start, end, text: t, target, base, baseRule, kind, confidence, line, column }) => ({ start, end, text: t, target, base, baseRule, kind, confidence, line, column })), [
      { start: 22, end: 38, text: 'requirements.txt', target: 'services/api/requirements.txt', base: 'services/api', baseRule: 'fixed', kind: 'docker.copy', confidence: 'probable', line: 2, column: 6 },
      { start: 65, end: 69, text: 'app/', target: 'services/api/app', base: 'services/api', baseRule: 'fixed', kind: 'docker.add', confidence: 'probable', line: 3, column: 21 },
      { start: 70, end: 90, text: 'config/settings.yaml', target: 'services/api/config/settings.yaml', base: 'services/api', baseRule: 'fixed', kind: 'docker.add', confidence: 'probable', line: 3, column: 26 },
    ]);
  });

  it('reads RUN as shell in the folder the whole context was copied to, with the root as a fallback; not elsewhere', () => {
    const text = [
      'FROM python:3.12',
      'WORKDIR /work',
      'COPY . .',
      'RUN --mount=type=cache,target=/root/.cache ./app/main.py --config config/settings.yaml \\',
      '    && pip install -r requirements.txt && python services/shared/lib.py',
      'WORKDIR /work/app',
      'RUN python main.py',
      'WORKDIR /elsewhere',
      'RUN cat requirements.txt',
      'FROM scratch',
      'RUN cat requirements.txt',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.filter((ref) => ref.kind.startsWith('docker.run')).map((ref) => [ref.line, ref.text, ref.target, ref.base]), [
      [4, './app/main.py', 'services/api/app/main.py', 'services/api'],
      [4, 'config/settings.yaml', 'services/api/config/settings.yaml', 'services/api'],
      [5, 'requirements.txt', 'services/api/requirements.txt', 'services/api'],
      [5, 'services/shared/lib.py', 'services/shared/lib.py', ''],
      [7, 'main.py', 'services/api/app/main.py', 'services/api/app'],
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('skips stage copies, URLs, heredocs, the whole context and sources that do not resolve', () => {
    const text = [
      'COPY --from=build app/main.py /app/',
      'ADD https://example.com/app/main.py /app/',
      'COPY <<EOF /etc/x',
      'EOF',
      'COPY . /app',
      'COPY missing.txt /app/',
      'COPY ../shared/lib.py /app/',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.text, ref.target]), [['../shared/lib.py', 'services/shared/lib.py']]);
  });

  it('reads the JSON form, quoted words, continuations and comment lines inside them', () => {
    const text = 'COPY --chown=1:1 ["app/main.py", "requirements.txt", "/app/"]\nCOPY \\\n# a comment\n  "config/settings.yaml" \\\n  /app/\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.line]), [
      [19, 30, 'app/main.py', 1],
      [34, 50, 'requirements.txt', 1],
      [84, 104, 'config/settings.yaml', 4],
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('honours the escape parser directive and keeps offsets with a BOM and CRLF', () => {
    const text = '\uFEFF# escape=`\r\nFROM x\r\nCOPY app/main.py `\r\n  requirements.txt C:/app/\r\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.line, ref.column]), [
      [26, 37, 'app/main.py', 3, 6],
      [43, 59, 'requirements.txt', 4, 3],
    ]);
  });

  it('sends build-argument sources with an existing folder to review and reads a glob as a glob reference to its folder', () => {
    const text = 'ARG CONF=settings\nCOPY config/${CONF}.yaml app/*.py /app/\n';
    const { refs, review } = extract(text);
    assert.deepEqual(refs.map(({ start, end, text: t, target, kind, glob }) => ({ start, end, text: t, target, kind, glob })), [
      { start: 43, end: 51, text: 'app/*.py', target: 'services/api/app', kind: 'docker.copy', glob: true },
    ]);
    assert.deepEqual(review.map(({ start, end, text: t, target, kind }) => ({ start, end, text: t, target, kind })), [
      { start: 23, end: 42, text: 'config/${CONF}.yaml', target: 'services/api/config', kind: 'docker.copy' },
    ]);
    assert.match(review[0].reason, /build argument/);
  });

  it('takes a folder above the Dockerfile as the context when more of its sources resolve there (Compose context: ./)', () => {
    const text = 'FROM python:3.12\nCOPY ./services/api/requirements.txt ./services/shared/ /app/\nCOPY services/api/app /app/app\nCOPY ${X}/lib.py services/api/con*/ /app/\n';
    const { refs, review } = extract(text);
    assert.deepEqual(refs.map(({ text: t, target, base, baseRule }) => [t, target, base, baseRule]), [
      ['./services/api/requirements.txt', 'services/api/requirements.txt', '', 'fixed'],
      ['./services/shared/', 'services/shared', '', 'fixed'],
      ['services/api/app', 'services/api/app', '', 'fixed'],
      ['services/api/con*/', 'services/api', '', 'fixed'],
    ]);
    assert.deepEqual(review, []);
  });

  it('reads a path-like word in a comment line as a probable docker.comment reference', () => {
    const text = '# Keep in step with services/shared/lib.py and config/settings.yaml.\nFROM python:3.12\n# escape words: a.b\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.target, ref.kind, ref.base]), [
      [1, 'services/shared/lib.py', 'services/shared/lib.py', 'docker.comment', ''],
      [1, 'config/settings.yaml', 'services/api/config/settings.yaml', 'docker.comment', 'services/api'],
    ]);
  });
});
