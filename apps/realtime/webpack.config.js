module.exports = require('../../tools/webpack/node-app')('apps/realtime');
