import { loadExeca } from './load-execa';

test('execa loads inside jest and runs a real child process', async () => {
  const { execa } = await loadExeca();
  const result = await execa(process.execPath, ['-e', 'process.stdout.write("ok")']);
  expect(result.stdout).toBe('ok');
});
