module.exports = {
  displayName: 'chat-api',
  preset: '../../../jest.preset.js',
};
