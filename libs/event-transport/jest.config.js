module.exports = {
  displayName: 'event-transport',
  preset: '../../jest.preset.js',
};
