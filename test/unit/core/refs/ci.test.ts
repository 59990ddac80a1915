import { strict as assert } from 'node:assert';
import { extractGitHubAction, extractGitHubWorkflow, extractGitLabCi } from '../../../../src/core/refs/ci';
import { RefCollector } from '../../../../src/core/refs/yamlRefs';
import { parseYaml } from '../../../../src/core/refs/yamlSource';
import { Extraction, Reference, WorkspaceView } from '../../../../src/core/types';

/** A workspace holding `files` and the folders above them. */
function workspaceOf(...files: string[]): WorkspaceView {
  const folders = new Set(files.flatMap((file) => file.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return { stat: (path) => (files.includes(path) ? 'file' : folders.has(path) ? 'directory' : undefined) };
}

const workspace = workspaceOf(
  'infrastructure/kubernetes/base/kustomization.yaml',
  'scripts/deploy.sh',
  'charts/app/values.yaml',
  '.github/actions/setup/action.yml',
  'ci/templates/build.yml',
  '3',
);

function extract(reader: (collector: RefCollector, root: unknown) => void, text: string, path: string): Extraction {
  const parsed = parseYaml(path, text);
  assert.deepEqual(parsed.problems, []);
  const collector = new RefCollector(path, text, parsed.lines, workspace);
  for (const document of parsed.documents) reader(collector, document.contents);
  for (const found of [...collector.extraction.refs, ...collector.extraction.review]) {
    assert.equal(text.slice(found.start, found.end), found.text);
    assert.deepEqual(parsed.lines.position(found.start), { line: found.line, column: found.column });
  }
  return collector.extraction;
}

const row = (ref: Reference) => [ref.start, ref.end, ref.text, ref.target, ref.kind, ref.confidence, ref.glob ?? false, ref.base];

describe('ci', () => {
  describe('GitHub Actions', () => {
    const workflow = (text: string) => extract(extractGitHubWorkflow, text, '.github/workflows/deploy.yml');

    it('on.<event>.paths and paths-ignore are glob references to their static folder', () => {
      const text = [
        'on:',
        '  push:',
        '    paths:',
        "      - 'infrastructure/kubernetes/**'",
        '      - "!infrastructure/kubernetes/README.md"',
        '      - scripts/deploy.sh',
        '  pull_request:',
        "    paths-ignore: ['**.md', 'docs/*/draft-*.md']",
        '',
      ].join('\n');
      assert.deepEqual(workflow(text).refs.map(row), [
        [32, 60, 'infrastructure/kubernetes/**', 'infrastructure/kubernetes', 'github.paths', 'exact', true, ''],
        [72, 107, 'infrastructure/kubernetes/README.md', 'infrastructure/kubernetes/README.md', 'github.paths', 'exact', false, ''],
        [117, 134, 'scripts/deploy.sh', 'scripts/deploy.sh', 'github.paths', 'exact', false, ''],
        [171, 176, '**.md', '', 'github.pathsIgnore', 'exact', true, ''],
        [180, 197, 'docs/*/draft-*.md', 'docs', 'github.pathsIgnore', 'exact', true, ''],
      ]);
    });

    it('working-directory (step, job and workflow defaults) is root based; run: is shell from there', () => {
      const text = [
        'defaults:',
        '  run:',
        '    working-directory: infrastructure',
        'jobs:',
        '  deploy:',
        '    defaults:',
        '      run: {working-directory: ./infrastructure/kubernetes}',
        '    steps:',
        '      - run: kubectl apply -k base',
        '      - working-directory: scripts',
        '        run: ./deploy.sh',
        '      - shell: pwsh',
        '        run: ../../scripts/deploy.sh',
        '',
      ].join('\n');
      const refs = workflow(text).refs;
      assert.deepEqual(refs.map(row), [
        [40, 54, 'infrastructure', 'infrastructure', 'github.workingDirectory', 'exact', false, ''],
        [116, 143, './infrastructure/kubernetes', 'infrastructure/kubernetes', 'github.workingDirectory', 'exact', false, ''],
        [186, 190, 'base', 'infrastructure/kubernetes/base', 'github.run.path', 'probable', false, 'infrastructure/kubernetes'],
        [218, 225, 'scripts', 'scripts', 'github.workingDirectory', 'exact', false, ''],
        [239, 250, './deploy.sh', 'scripts/deploy.sh', 'github.run.path', 'probable', false, 'scripts'],
      ]);
      assert.deepEqual([refs[0].baseRule, refs[2].baseRule], ['fixed', 'fixed']);
    });

    it('uses: ./path is exact; remote actions are not references; with: values naming paths are probable', () => {
      const text = [
        'jobs:',
        '  reuse:',
        '    uses: ./.github/workflows/build.yml',
        '  build:',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - uses: ./.github/actions/setup',
        '        with:',
        '          values: charts/app/values.yaml',
        '          token: abc',
        '          missing: charts/none.yaml',
        '          files: charts/*/values.yaml',
        '          version: 3',
        '',
      ].join('\n');
      assert.deepEqual(workflow(text).refs.map(row), [
        [25, 54, './.github/workflows/build.yml', '.github/workflows/build.yml', 'github.uses', 'exact', false, ''],
        [123, 146, './.github/actions/setup', '.github/actions/setup', 'github.uses', 'exact', false, ''],
        [179, 201, 'charts/app/values.yaml', 'charts/app/values.yaml', 'github.with', 'probable', false, ''],
        [276, 296, 'charts/*/values.yaml', 'charts', 'github.with', 'probable', true, ''],
      ]);
    });

    it('a with: value that is a command line (yq cmd:) gives the existing paths among its words as probable refs', () => {
      const text = [
        'jobs:',
        '  build:',
        '    steps:',
        '      - uses: mikefarah/yq@v4',
        '        with:',
        "          cmd: yq e '.version' charts/app/values.yaml",
        '          title: build the app',
        '',
      ].join('\n');
      const refs = workflow(text).refs;
      assert.deepEqual(
        refs.map((ref) => [ref.text, ref.target, ref.confidence]),
        [['charts/app/values.yaml', 'charts/app/values.yaml', 'probable']],
      );
      assert.match(refs[0].kind, /^github\.with/);
    });

    it('a with: value written as a block of YAML (paths-filter filters) gives its glob and path list items as probable root globs', () => {
      const text = [
        'jobs:',
        '  changes:',
        '    steps:',
        '      - uses: dorny/paths-filter@v3',
        '        with:',
        '          filters: |',
        '            charts:',
        "              - 'charts/app/**'",
        '              - "!charts/app/values.yaml"',
        '            other:',
        "              - 'none/**'",
        '              - ${{ matrix.x }}/**',
        '              - plain',
        '',
      ].join('\n');
      assert.deepEqual(workflow(text).refs.map((ref) => [ref.line, ref.text, ref.target, ref.kind, ref.confidence, ref.glob === true, ref.base]), [
        [8, 'charts/app/**', 'charts/app', 'github.pathFilter', 'probable', true, ''],
        [9, 'charts/app/values.yaml', 'charts/app/values.yaml', 'github.pathFilter', 'probable', false, ''],
      ]);
    });

    it('a with: value written as lines of paths (release files, artifact paths) gives each existing path line as a probable root reference', () => {
      const text = [
        'jobs:',
        '  release:',
        '    steps:',
        '      - uses: softprops/action-gh-release@v2',
        '        with:',
        '          files: |',
        '            dist/app-linux-amd64',
        '            scripts/deploy.sh',
        '            !charts/app/values.yaml',
        '            # charts/app/values.yaml',
        '            ${{ env.OUT }}/x.yaml',
        '            two words/here',
        '          body: |',
        '            Released',
        '',
      ].join('\n');
      assert.deepEqual(workflow(text).refs.map((ref) => [ref.line, ref.text, ref.target, ref.kind, ref.confidence, ref.glob === true]), [
        [8, 'scripts/deploy.sh', 'scripts/deploy.sh', 'github.pathFilter', 'probable', false],
        [9, 'charts/app/values.yaml', 'charts/app/values.yaml', 'github.pathFilter', 'probable', false],
      ]);
    });

    it('$GITHUB_WORKSPACE in a run: step is the repository root, even from another working-directory', () => {
      const text = [
        'jobs:',
        '  build:',
        '    steps:',
        '      - working-directory: ./charts',
        '        run: source $GITHUB_WORKSPACE/scripts/deploy.sh && cat "${GITHUB_WORKSPACE}/charts/app/values.yaml"',
        '      - run: GITHUB_WORKSPACE=/tmp/x; cat $GITHUB_WORKSPACE/scripts/deploy.sh',
        '',
      ].join('\n');
      const { refs, review } = workflow(text);
      assert.deepEqual(refs.filter((ref) => ref.kind !== 'github.workingDirectory').map((ref) => [ref.line, ref.text, ref.target, ref.base]), [
        [5, 'scripts/deploy.sh', 'scripts/deploy.sh', ''],
        [5, 'charts/app/values.yaml', 'charts/app/values.yaml', ''],
      ]);
      assert.deepEqual(review.filter((item) => item.line === 5), []);
    });

    it('$CI_PROJECT_DIR in a GitLab script is the repository root', () => {
      const text = 'deploy:\n  script:\n    - source $CI_PROJECT_DIR/scripts/deploy.sh\n';
      const { refs } = extract(extractGitLabCi, text, '.gitlab-ci.yml');
      assert.deepEqual(refs.map((ref) => [ref.text, ref.target, ref.base]), [['scripts/deploy.sh', 'scripts/deploy.sh', '']]);
    });

    it('strategy.matrix values naming an existing path from the root are probable references', () => {
      const text = [
        'jobs:',
        '  build:',
        '    strategy:',
        '      matrix:',
        '        image:',
        '          - file: ./scripts/deploy.sh',
        '            context: ./',
        '            tag: deploy.sh',
        '        chart: [charts/app, charts/none]',
        '        include:',
        '          - values: charts/app/values.yaml',
        '',
      ].join('\n');
      assert.deepEqual(workflow(text).refs.map((ref) => [ref.line, ref.text, ref.target, ref.kind, ref.confidence]), [
        [6, './scripts/deploy.sh', 'scripts/deploy.sh', 'github.matrix', 'probable'],
        [9, 'charts/app', 'charts/app', 'github.matrix', 'probable'],
        [11, 'charts/app/values.yaml', 'charts/app/values.yaml', 'github.matrix', 'probable'],
      ]);
    });

    it('paths built from ${{ … }} are reviewed, and run: steps under them are not guessed at', () => {
      const text = [
        'jobs:',
        '  deploy:',
        '    steps:',
        '      - working-directory: envs/${{ matrix.env }}',
        '        run: kubectl apply -k infrastructure/kubernetes/base',
        '      - uses: ./.github/actions/setup',
        '        with:',
        '          file: charts/${{ matrix.chart }}/values.yaml',
        '          token: ${{ secrets.TOKEN }}',
        '',
      ].join('\n');
      const result = workflow(text);
      assert.deepEqual(result.refs.map((ref) => ref.kind), ['github.uses']);
      assert.deepEqual(result.review.map((item) => [item.start, item.end, item.text, item.kind, item.line, item.target]), [
        [54, 76, 'envs/${{ matrix.env }}', 'github.workingDirectory', 4, 'envs'],
        [206, 244, 'charts/${{ matrix.chart }}/values.yaml', 'github.with', 8, 'charts'],
      ]);
      assert.match(result.review[0].reason, /variable or template/);
    });

    it('env: values naming an existing path are probable at every level; templated ones with a folder are reviewed', () => {
      const text = [
        'env:',
        '  OVERLAY: infrastructure/kubernetes/base',
        'jobs:',
        '  a:',
        '    env: {LEVEL: debug}',
        '    steps:',
        '      - env:',
        '          SCRIPT: ./scripts/deploy.sh',
        '          OUT: out/${{ github.sha }}/x',
        '          TOKEN: ${{ secrets.T }}',
        '',
      ].join('\n');
      const result = workflow(text);
      assert.deepEqual(result.refs.map(row), [
        [16, 46, 'infrastructure/kubernetes/base', 'infrastructure/kubernetes/base', 'github.env', 'probable', false, ''],
        [124, 143, './scripts/deploy.sh', 'scripts/deploy.sh', 'github.env', 'probable', false, ''],
      ]);
      assert.deepEqual(result.review.map((item) => [item.text, item.kind, item.target]), [['out/${{ github.sha }}/x', 'github.env', 'out']]);
    });

    it('composite action steps are read like workflow steps', () => {
      const text = 'runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: bash scripts/deploy.sh\n';
      const result = extract(extractGitHubAction, text, '.github/actions/setup/action.yml');
      assert.deepEqual(result.refs.map(row), [[68, 85, 'scripts/deploy.sh', 'scripts/deploy.sh', 'github.run.path', 'probable', false, '']]);
    });
  });

  describe('GitLab CI', () => {
    const gitlab = (text: string) => extract(extractGitLabCi, text, '.gitlab-ci.yml');

    it('script, before_script and after_script entries are shell from the root; !reference is skipped', () => {
      const text = [
        'default:',
        '  before_script: [bash scripts/deploy.sh]',
        'deploy:',
        '  script:',
        '    - kubectl apply -k infrastructure/kubernetes/base',
        '    - !reference [.setup, script]',
        '    - - cat charts/app/values.yaml',
        '  after_script: |',
        '    ls ci/templates',
        '',
      ].join('\n');
      assert.deepEqual(gitlab(text).refs.map(row), [
        [92, 122, 'infrastructure/kubernetes/base', 'infrastructure/kubernetes/base', 'gitlab.script.path', 'probable', false, ''],
        [169, 191, 'charts/app/values.yaml', 'charts/app/values.yaml', 'gitlab.script.path', 'probable', false, ''],
        [217, 229, 'ci/templates', 'ci/templates', 'gitlab.script.path', 'probable', false, ''],
        [32, 49, 'scripts/deploy.sh', 'scripts/deploy.sh', 'gitlab.script.path', 'probable', false, ''],
      ]);
    });

    it('rules changes/exists and only.changes are glob references', () => {
      const text = [
        'workflow:',
        '  rules:',
        '    - changes: [infrastructure/**/*]',
        'lint:',
        '  script: echo',
        '  rules:',
        '    - changes:',
        '        paths: ["charts/app/*.yaml"]',
        '        compare_to: main',
        '    - exists: [Dockerfile]',
        '  only:',
        '    changes:',
        '      - "!docs/**"',
        '',
      ].join('\n');
      assert.deepEqual(gitlab(text).refs.map(row), [
        [35, 54, 'infrastructure/**/*', 'infrastructure', 'gitlab.changes', 'exact', true, ''],
        [118, 135, 'charts/app/*.yaml', 'charts/app', 'gitlab.changes', 'exact', true, ''],
        [178, 188, 'Dockerfile', 'Dockerfile', 'gitlab.exists', 'exact', false, ''],
        [221, 228, 'docs/**', 'docs', 'gitlab.changes', 'exact', true, ''],
      ]);
    });

    it('local includes (root-absolute too) are references; remote and project includes are not', () => {
      const text = [
        'include:',
        "  - '/ci/templates/build.yml'",
        '  - local: ci/templates/*.yml',
        '  - remote: https://example.com/ci.yml',
        '  - project: org/other',
        '    file: /templates/x.yml',
        '  - https://example.com/y.yml',
        'child:',
        '  trigger:',
        '    include: ci/child.yml',
        '',
      ].join('\n');
      const refs = gitlab(text).refs;
      assert.deepEqual(refs.map(row), [
        [14, 37, '/ci/templates/build.yml', 'ci/templates/build.yml', 'gitlab.include', 'exact', false, ''],
        [50, 68, 'ci/templates/*.yml', 'ci/templates', 'gitlab.include', 'exact', true, ''],
        [219, 231, 'ci/child.yml', 'ci/child.yml', 'gitlab.include', 'exact', false, ''],
      ]);
    });

    it('variables naming an existing path are probable; values built from variables with a folder are reviewed', () => {
      const text = [
        'variables:',
        '  CHART: charts/app/values.yaml',
        '  MODE: fast',
        'deploy:',
        '  variables:',
        '    SCRIPT: {value: scripts/deploy.sh, description: the script}',
        '    TARGET: $CI_PROJECT_DIR/infrastructure',
        '  script: echo',
        '',
      ].join('\n');
      const result = gitlab(text);
      assert.deepEqual(result.refs.map(row), [
        [20, 42, 'charts/app/values.yaml', 'charts/app/values.yaml', 'gitlab.variables', 'probable', false, ''],
        [97, 114, 'scripts/deploy.sh', 'scripts/deploy.sh', 'gitlab.variables', 'probable', false, ''],
      ]);
      assert.deepEqual(result.review.map((item) => [item.text, item.kind]), [['$CI_PROJECT_DIR/infrastructure', 'gitlab.variables']]);
    });

    it('a path built from a CI variable is reviewed', () => {
      const text = 'include:\n  - local: ci/$ENVIRONMENT.yml\n';
      const result = gitlab(text);
      assert.deepEqual(result.refs, []);
      assert.deepEqual(result.review.map((item) => [item.start, item.text, item.kind, item.target]), [[20, 'ci/$ENVIRONMENT.yml', 'gitlab.include', 'ci']]);
    });
  });
});
