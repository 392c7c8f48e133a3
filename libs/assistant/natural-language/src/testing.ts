// Test and benchmark helpers (`@todo/natural-language/testing`), kept out of the main entry point.
export {
  type ConversationCase,
  type ConversationTurn,
  type CorpusCase,
  focusAfter,
  readConversations,
  readCorpus,
} from './lib/testing/corpus';
