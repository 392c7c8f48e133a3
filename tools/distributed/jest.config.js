module.exports = {
  displayName: 'distributed',
  preset: '../../jest.preset.js',
  // Starts the four deployables as processes (and restarts some) on a shared, busy machine.
  testTimeout: 180000,
};
