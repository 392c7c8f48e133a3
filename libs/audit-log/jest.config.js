module.exports = {
  displayName: 'audit-log',
  preset: '../../jest.preset.js',
};
