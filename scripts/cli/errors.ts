/** A command used wrongly: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}
