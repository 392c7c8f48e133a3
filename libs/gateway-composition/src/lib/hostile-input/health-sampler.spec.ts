import { summarizeLatencies } from './health-sampler';

describe('summarizeLatencies', () => {
  it('reports nearest-rank percentiles and the maximum', () => {
    const latencies = Array.from({ length: 200 }, (_, index) => index + 1);
    expect(summarizeLatencies(latencies, 2)).toEqual({
      samples: 200,
      errors: 2,
      p50: 100,
      p99: 198,
      max: 200,
      slow: [],
    });
    expect(summarizeLatencies([], 0)).toMatchObject({ samples: 0, p99: 0, max: 0 });
  });
});
