import { splitEngineCommand } from './engine-command';

test('defaults to iii', () => {
  expect(splitEngineCommand()).toEqual({ command: 'iii', args: [] });
});

test('splits a multi-word command on whitespace', () => {
  expect(splitEngineCommand('  node /opt/tool/main.js   engine ')).toEqual({ command: 'node', args: ['/opt/tool/main.js', 'engine'] });
});

test('takes an array as is, so paths may contain spaces', () => {
  expect(splitEngineCommand(['/opt/my tools/iii', '--verbose'])).toEqual({ command: '/opt/my tools/iii', args: ['--verbose'] });
});

test('an empty command is a clear error', () => {
  expect(() => splitEngineCommand('   ')).toThrow(/engineCommand is empty/);
  expect(() => splitEngineCommand([])).toThrow(/engineCommand is empty/);
});

test('honours quotes and backslash escapes in the string form', () => {
  expect(splitEngineCommand(`node -e "console.error('no engine'); process.exit(4)" --`)).toEqual({
    command: 'node',
    args: ['-e', "console.error('no engine'); process.exit(4)", '--'],
  });
  expect(splitEngineCommand(`'/opt/my tools/iii' --flag=""  a\\ b "x\\"y"`)).toEqual({
    command: '/opt/my tools/iii',
    args: ['--flag=', 'a b', 'x"y'],
  });
  expect(() => splitEngineCommand('iii "oops')).toThrow(/unclosed " quote/);
});
