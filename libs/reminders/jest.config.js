module.exports = {
  displayName: 'reminders',
  preset: '../../jest.preset.js',
};
