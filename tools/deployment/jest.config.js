module.exports = {
  displayName: 'deployment',
  preset: '../../jest.preset.js',
  // The install suite downloads and unpacks each app's production dependencies (npm cache first).
  testTimeout: 300000,
};
