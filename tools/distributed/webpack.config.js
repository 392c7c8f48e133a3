module.exports = require('../webpack/node-app')('tools/distributed');
