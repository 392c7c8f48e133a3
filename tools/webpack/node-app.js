const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

/**
 * Webpack config of a Node deployable: one bundle of our code at `dist/<distPath>`; npm packages
 * stay external and load from node_modules at run time.
 */
module.exports = function nodeAppConfig(distPath) {
  return {
    output: { path: join(__dirname, '../../dist', distPath), clean: true },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
        // Types are checked once for the whole workspace by `npm run typecheck`.
        skipTypeChecking: true,
      }),
    ],
  };
};
