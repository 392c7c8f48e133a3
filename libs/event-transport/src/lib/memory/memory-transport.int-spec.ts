import { MemoryBroker } from './memory-broker';
import { describeTransportConformance } from '../testing/transport-conformance';

describeTransportConformance('memory', () => ({
  env: () => ({ EVENT_TRANSPORT: 'memory' }),
  sendRaw: (app, topic, key, body) =>
    app.app.get(MemoryBroker).publish([{ topic, key, event: JSON.parse(body) }]),
  deadLetters: async (app, topic) =>
    app.app
      .get(MemoryBroker)
      .deadLetters(topic)
      .map((letter) => ({ body: JSON.parse(letter.body), headers: letter.headers })),
}));
