module.exports = {
  displayName: 'assistant-eval',
  preset: '../../jest.preset.js',
};
