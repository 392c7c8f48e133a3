import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectory } from './create-directory';
import { StartupError } from './startup-errors';

describe('createDirectory', () => {
  const root = mkdtempSync(join(tmpdir(), 'create-directory-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates every missing level, and accepts one that exists', async () => {
    const nested = join(root, 'a', 'b', 'c');
    await createDirectory(nested);
    await createDirectory(nested);
    expect(statSync(nested).isDirectory()).toBe(true);
  });

  it('fails at once, naming the path and why, under /proc (where mkdir -p would loop)', async () => {
    const started = Date.now();
    const failure = createDirectory('/proc/todo-assistant/data');
    await expect(failure).rejects.toThrow(StartupError);
    await expect(failure).rejects.toThrow(
      /^Cannot create the directory \/proc\/todo-assistant\/data: ENOENT/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails when a file stands in the way', async () => {
    writeFileSync(join(root, 'file'), '');
    await expect(createDirectory(join(root, 'file', 'data'))).rejects.toThrow(
      `Cannot create the directory ${join(root, 'file', 'data')}`,
    );
  });
});
