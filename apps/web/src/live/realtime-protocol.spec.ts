import * as contract from '@todo/realtime-contract';
import {
  BEARER_PROTOCOL_PREFIX,
  REALTIME_PATH,
  REALTIME_PROTOCOL,
  UNAUTHORIZED_CLOSE,
} from './realtime-protocol';

/** The browser keeps its own copy of these constants (no contract code in the bundle): they must not drift. */
it('mirrors the realtime contract', () => {
  expect({ REALTIME_PROTOCOL, BEARER_PROTOCOL_PREFIX, REALTIME_PATH, UNAUTHORIZED_CLOSE }).toEqual({
    REALTIME_PROTOCOL: contract.REALTIME_PROTOCOL,
    BEARER_PROTOCOL_PREFIX: contract.BEARER_PROTOCOL_PREFIX,
    REALTIME_PATH: contract.REALTIME_PATH,
    UNAUTHORIZED_CLOSE: contract.CLOSE_CODES.unauthorized,
  });
});
