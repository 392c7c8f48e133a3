module.exports = require('../tools/webpack/node-app')('charts');
