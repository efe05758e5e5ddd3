import { parseChecksumFile } from './fetch-checksum';
import { ReleaseAssetError } from './release-asset-error';

const URL = 'http://127.0.0.1:1/r/skills/v1/skills-x86_64-unknown-linux-gnu.sha256';
const ARCHIVE = 'skills-x86_64-unknown-linux-gnu.tar.gz';
const A = 'a'.repeat(64);
const B = 'B'.repeat(64);

test('one line: the hash, with or without a name', () => {
  expect(parseChecksumFile(`${A}  ${ARCHIVE}\n`, URL, ARCHIVE)).toBe(A);
  expect(parseChecksumFile(`${B}\n`, URL, ARCHIVE)).toBe(B.toLowerCase());
});

test('several lines: the line naming the archive, in text, binary (*) or ./ form (issue 12 #10)', () => {
  const text = `${A}  skills-aarch64-apple-darwin.tar.gz\n${B} *./${ARCHIVE}\n`;
  expect(parseChecksumFile(text, URL, ARCHIVE)).toBe(B.toLowerCase());
  expect(parseChecksumFile(`${A}  dist/other.tar.gz\n${B}  dist/${ARCHIVE}\n`, URL, ARCHIVE)).toBe(B.toLowerCase());
});

test('several lines and none names the archive: a clear error listing what it names', () => {
  const run = () => parseChecksumFile(`${A}  one.tar.gz\n${B}  two.tar.gz\n`, URL, ARCHIVE);
  expect(run).toThrow(ReleaseAssetError);
  expect(run).toThrow(`${URL} has 2 lines and none names ${ARCHIVE} with a 64-hex-digit checksum (it names: one.tar.gz, two.tar.gz)`);
});

test('the archive named twice with different hashes is refused', () => {
  expect(() => parseChecksumFile(`${A}  ${ARCHIVE}\n${B}  ${ARCHIVE}\n`, URL, ARCHIVE)).toThrow(/names .* on 2 lines with different checksums/);
});
