// Cucumber profiles. `test` (npm test) runs every feature with a compact summary; `report` (npm start) writes
// Cucumber's HTML page and Allure results under reports/. KUBESPEC_ENGINE=json-rules-engine runs the same
// scenarios with json-rules-engine deciding every rule instead of the compiled evaluator.
// No `paths`: cucumber then runs features/**/*.feature, and a path given on the command line runs just that.
const common = {
  require: ['steps/**/*.ts'],
  requireModule: ['ts-node/register/transpile-only'],
  strict: true,
};

module.exports = {
  default: { ...common, format: ['progress'] },
  test: { ...common, format: ['summary'] },
  report: {
    ...common,
    format: [
      'progress',
      'html:reports/cucumber/index.html',
      'allure-cucumberjs/reporter:reports/.allure.out',
    ],
    formatOptions: {
      resultsDir: 'reports/allure-results',
      labels: [
        { pattern: [/@epic:(.*)/], name: 'epic' },
        { pattern: [/@feature:(.*)/], name: 'feature' },
        { pattern: [/@story:(.*)/], name: 'story' },
        { pattern: [/@severity:(.*)/], name: 'severity' },
        { pattern: [/@owner:(.*)/], name: 'owner' },
      ],
    },
  },
};
