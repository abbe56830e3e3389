/** What the CLI may touch of the process: injected so tests run it in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

export function writeLine(stream: NodeJS.WritableStream, line: string): void {
  stream.write(line.endsWith('\n') ? line : `${line}\n`);
}
