const preset = require('../jest.preset');

module.exports = {
  displayName: 'charts',
  preset: '../jest.preset.js',
  // kubernetes-models is ESM only: Jest's sandbox needs it as CommonJS, like the preset's exceptions.
  transform: {
    ...preset.transform,
    '/node_modules/(kubernetes-models|@kubernetes-models)/.+\\.js$': preset.transform['^.+\\.ts$'],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|kubernetes-models|@kubernetes-models)/)'],
};
