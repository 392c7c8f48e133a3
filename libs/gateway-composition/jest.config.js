module.exports = {
  displayName: 'gateway-composition',
  preset: '../../jest.preset.js',
};
