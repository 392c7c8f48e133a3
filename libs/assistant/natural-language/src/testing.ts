// Test and benchmark helpers (`@todo/natural-language/testing`), kept out of the main entry point.
export { type CorpusCase, readCorpus } from './lib/testing/corpus';
