import { spawn } from 'node:child_process';

let curlAvailable: Promise<boolean> | undefined;
const haveCurl = () =>
  (curlAvailable ??= new Promise<boolean>((resolve) =>
    spawn('curl', ['--version'], { stdio: 'ignore' })
      .on('error', () => resolve(false))
      .on('exit', (code) => resolve(code === 0)),
  ));

/** The tool `transferOnce` uses: curl when installed, else a Node fetch. */
export const transferTool = async () => ((await haveCurl()) ? 'curl' : 'node fetch');

/** Pulls `url` (following the 302) and throws the bytes away: pure loopback transfer time, in ms. */
export async function transferOnce(url: string): Promise<number> {
  const curl = await haveCurl();
  return new Promise((resolve, reject) => {
    const child = curl
      ? spawn('curl', ['-sS', '-L', '-o', '/dev/null', '-w', '%{time_total}', url])
      : spawn(process.execPath, ['-e', `(async()=>{const t=performance.now();const r=await fetch(${JSON.stringify(url)});for await(const _ of r.body);process.stdout.write(String((performance.now()-t)/1000))})()`]);
    let out = '';
    child.stdout.on('data', (data: Buffer) => (out += data));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(out) * 1000) : reject(new Error(`bench: transfer of ${url} failed (exit ${code})`))));
  });
}
