module.exports = {
  displayName: 'module-boundaries',
  preset: '../../jest.preset.js',
  // Lints planted files with the workspace's real ESLint configuration (tens of seconds on a busy machine).
  testTimeout: 120000,
};
