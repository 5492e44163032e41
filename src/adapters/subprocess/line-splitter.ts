/**
 * Splits a worker's stdout into lines, refusing a line longer than the limit (a worker printing
 * without newlines must not grow memory without bound).
 */
export class LineSplitter {
  private partial = '';
  private count = 0;

  constructor(
    private readonly maxChars: number,
    private readonly onLine: (line: string, number: number) => void,
    private readonly onOverflow: (number: number) => void,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const line = this.partial + chunk.slice(start, nl);
      this.partial = '';
      start = nl + 1;
      this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    this.partial += chunk.slice(start);
    if (this.partial.length > this.maxChars) {
      this.partial = '';
      this.onOverflow(this.count + 1);
    }
  }

  private emit(line: string): void {
    this.count++;
    if (line.length > this.maxChars) this.onOverflow(this.count);
    else if (line.trim() !== '') this.onLine(line, this.count);
  }
}
