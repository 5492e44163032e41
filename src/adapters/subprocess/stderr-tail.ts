/**
 * The end of a worker's stderr, kept in bounded memory: a worker may write megabytes of logs and
 * only the last lines explain a crash. The stream is always drained, so a chatty worker never blocks.
 */
const LINE_WIDTH = 240;

export class StderrTail {
  private text = '';
  private dropped = 0;

  constructor(
    private readonly maxChars: number,
    private readonly maxLines: number,
  ) {}

  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.maxChars) {
      const cut = this.text.length - this.maxChars;
      this.dropped += cut;
      this.text = this.text.slice(cut);
    }
  }

  /** The last non-empty lines, each cut to a readable width; empty when the worker wrote nothing. */
  lines(): string[] {
    const lines = this.text.split(/\r?\n/).filter((l) => l.trim() !== '');
    // The first kept line may be the end of a longer one.
    if (this.dropped > 0 && lines.length > 0) lines[0] = `…${lines[0]}`;
    return lines.slice(-this.maxLines).map((l) => (l.length > LINE_WIDTH ? `${l.slice(0, LINE_WIDTH)}…` : l));
  }

  /** `; last stderr lines:\n    …` for error messages, or '' when stderr was empty. */
  describe(): string {
    const lines = this.lines();
    if (lines.length === 0) return '; it wrote nothing to stderr';
    const skipped = this.dropped > 0 ? ` (earlier output dropped)` : '';
    return `; last stderr lines${skipped}:\n${lines.map((l) => `    ${l}`).join('\n')}`;
  }
}
