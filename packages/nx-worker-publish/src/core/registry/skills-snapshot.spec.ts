import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readSkillsSnapshot } from './skills-snapshot';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'skills-snapshot-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, content: string) => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), content);
};

describe('readSkillsSnapshot (spec publish-pipeline-later §6.1)', () => {
  it('maps skills/SKILL.md to SKILL.md and every other document to skills/<rel>.md', () => {
    write('skills/SKILL.md', '# overview\n');
    write('skills/list.md', '# list\n');
    write('skills/deep/find.md', '# find\n');
    write('skills/prompts/p.md', '# a prompt, not a skill\n');
    write('skills/notes.txt', 'not markdown');
    expect(readSkillsSnapshot(dir).skills).toEqual({ 'SKILL.md': '# overview\n', 'skills/list.md': '# list\n', 'skills/deep/find.md': '# find\n' });
  });

  it('no folder, or an empty one, is the empty snapshot', () => {
    expect(readSkillsSnapshot(dir).skills).toEqual({});
    mkdirSync(join(dir, 'skills'));
    expect(readSkillsSnapshot(dir).skills).toEqual({});
  });

  it('another folder can be chosen', () => {
    write('docs/agent/SKILL.md', '# overview\n');
    expect(readSkillsSnapshot(dir, 'docs/agent')).toMatchObject({ skills: { 'SKILL.md': '# overview\n' }, dir: 'docs/agent' });
  });

  it('requires SKILL.md when other documents exist, naming them', () => {
    write('skills/list.md', '# list\n');
    expect(() => readSkillsSnapshot(dir)).toThrow(/skills\/SKILL\.md is missing, but 1 other skill document exist \(skills\/list\.md\)/);
  });

  it('refuses a file name the registry refuses, naming the file', () => {
    write('skills/SKILL.md', '# overview\n');
    write('skills/my skill.md', '# x\n');
    expect(() => readSkillsSnapshot(dir)).toThrow(/The skill document skills\/my skill\.md would be sent as "skills\/my skill\.md", which the registry refuses/);
  });

  it('leaves blank documents out and lists them', () => {
    write('skills/SKILL.md', '# overview\n');
    write('skills/todo.md', '  \n');
    expect(readSkillsSnapshot(dir)).toMatchObject({ skills: { 'SKILL.md': '# overview\n' }, blank: ['skills/todo.md'] });
  });

  it('does not follow symbolic links out of the folder', () => {
    write('skills/SKILL.md', '# overview\n');
    write('secret.md', 'outside\n');
    symlinkSync(join(dir, 'secret.md'), join(dir, 'skills', 'leak.md'));
    expect(Object.keys(readSkillsSnapshot(dir).skills)).toEqual(['SKILL.md']);
  });
});
