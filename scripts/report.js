#!/usr/bin/env node
// `npm start`: runs the feature suite with the `report` profile and builds the reports under reports/:
// Cucumber's HTML page, and the Allure report generated from allure-cucumberjs's results (Allure needs
// Java). Exits with Cucumber's exit code, after the reports are written, so a failing scenario still fails.

const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const reports = join(root, 'reports');
const allureResults = join(reports, 'allure-results');
const allureReport = join(reports, 'allure-report');
const cucumberHtml = join(reports, 'cucumber', 'index.html');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function javaVersion() {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  // `java -version` prints to stderr, e.g. `openjdk version "17.0.15" 2025-04-15`.
  return (result.stderr || result.stdout).split('\n')[0].trim();
}

// allure-cucumberjs files every scenario under its Feature's title as well as under the `@feature:` tag, so
// the Behaviors tree lists it twice; where a tag names the feature, the tag wins.
function preferTaggedFeature(resultsDir) {
  if (!existsSync(resultsDir)) return;
  for (const file of readdirSync(resultsDir).filter((name) => name.endsWith('-result.json'))) {
    const path = join(resultsDir, file);
    const result = JSON.parse(readFileSync(path, 'utf8'));
    const title = result.titlePath?.[result.titlePath.length - 1];
    const features = result.labels.filter((label) => label.name === 'feature');
    if (features.length < 2 || !features.some((label) => label.value === title)) continue;
    result.labels = result.labels.filter((label) => !(label.name === 'feature' && label.value === title));
    writeFileSync(path, JSON.stringify(result));
  }
}

// Results of earlier runs would pile up in the report as retries of the same tests; a stale page would be
// reported as written if cucumber-js could not start.
for (const path of [allureResults, allureReport, cucumberHtml])
  rmSync(path, { recursive: true, force: true });

// Extra arguments go to cucumber-js, e.g. `npm start -- --tags @severity:critical`.
const cucumberStatus = run(bin('cucumber-js'), ['--profile', 'report', ...process.argv.slice(2)]);

const written = [];
if (existsSync(cucumberHtml)) written.push(`Cucumber HTML report: ${cucumberHtml}`);

preferTaggedFeature(allureResults);
const java = javaVersion();
if (!java) {
  console.error(
    '\nSkipping the Allure report: it needs Java 8 or later (`java -version` failed). ' +
      `Install a JRE and run \`npm start\` again; the raw results are in ${allureResults}.`,
  );
} else if (!existsSync(allureResults)) {
  console.error(`\nSkipping the Allure report: cucumber-js wrote no results to ${allureResults}.`);
} else {
  console.log(`\nGenerating the Allure report (${java})...`);
  const allureStatus = run(bin('allure'), [
    'generate',
    allureResults,
    '-o',
    allureReport,
    '--clean',
    '--single-file',
  ]);
  if (allureStatus === 0) written.push(`Allure report:        ${join(allureReport, 'index.html')}`);
  else console.error(`\nallure generate failed (exit code ${allureStatus}).`);
}

if (written.length > 0) {
  console.log(`\nReports:\n  ${written.join('\n  ')}`);
  console.log('Open an index.html in a browser; each is a single file that works without a server.');
}
process.exitCode = cucumberStatus;
