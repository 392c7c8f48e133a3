module.exports = {
  displayName: 'natural-language',
  preset: '../../../jest.preset.js',
};
