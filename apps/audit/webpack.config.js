const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// One bundle of our code; npm packages stay external and load from node_modules at run time.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/audit'), clean: true },
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
