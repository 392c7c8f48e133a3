module.exports = {
  displayName: 'tasks-api',
  preset: '../../jest.preset.js',
};
