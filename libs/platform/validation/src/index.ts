export * from './lib/json-cursor';
export * from './lib/storable-instant';
export * from './lib/storable-text';
export * from './lib/uuid';
