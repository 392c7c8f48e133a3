module.exports = {
  displayName: 'realtime-contract',
  preset: '../../../jest.preset.js',
};
