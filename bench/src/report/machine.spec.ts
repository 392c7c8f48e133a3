import { type MachineDescription, summarizeMachine } from './machine';

const machine: MachineDescription = {
  cpuModel: 'AMD EPYC',
  logicalCores: 2,
  memoryGiB: 24,
  os: 'Linux 6.1.0 x64',
  node: '20.20.2',
  appNode: '20.20.2',
  loadAverage: [0.31, 0.5, 0.62],
  postgres: 'PostgreSQL 18.4 on x86_64-pc-linux-gnu, compiled by gcc',
  kcat: 'kcat 1.7.1 (librdkafka 2.0.2)',
};

describe('summarizeMachine', () => {
  it('names one Node when the app ran on the bench’s own', () => {
    expect(summarizeMachine(machine)).toBe(
      '2 × AMD EPYC · 24 GiB · Linux 6.1.0 x64 · load average 0.31, 0.5, 0.62 · Node 20.20.2 · PostgreSQL 18.4 · kcat 1.7.1 (librdkafka 2.0.2)',
    );
  });

  it('names the app’s Node and the load generators’ when they differ', () => {
    expect(summarizeMachine({ ...machine, appNode: '24.21.0' })).toContain(
      ' · app on Node 24.21.0 · load generators and socket holders on Node 20.20.2 · ',
    );
  });
});
