module.exports = {
  displayName: 'dapr-sidecar',
  preset: '../../../jest.preset.js',
};
