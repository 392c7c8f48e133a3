module.exports = require('../webpack/node-app')('tools/assistant-eval');
