// tap's coverage-map: which files each test file's coverage may count. The CLI and start-up tests
// run our code in child processes under tsx, which minifies each file to a line or two; merged into
// the report, that coverage would mark whole files as covered. Those test files count for nothing.
export default function coverageMap(testFile) {
  return /tests[\\/](cli[\\/]|main\.test\.ts$|start-race\.test\.ts$)/.test(testFile) ? null : []
}
