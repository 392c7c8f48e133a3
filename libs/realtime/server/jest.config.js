module.exports = {
  displayName: 'realtime-server',
  preset: '../../../jest.preset.js',
};
