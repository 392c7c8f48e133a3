module.exports = {
  displayName: 'assistant-contract',
  preset: '../../../jest.preset.js',
};
