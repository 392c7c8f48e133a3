module.exports = {
  displayName: 'realtime-service',
  preset: '../../jest.preset.js',
};
