module.exports = {
  displayName: 'web-push',
  preset: '../../jest.preset.js',
};
