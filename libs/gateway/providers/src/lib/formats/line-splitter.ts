/**
 * Longest line kept. A longer one (an upstream that never ends its line) is dropped whole: the
 * splitter holds no more than this of it. Large enough for a streamed image in one event.
 */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/**
 * Splits text into lines whatever the chunk boundaries. Each character is looked at once: the
 * search for a line's end covers only the text just received (a line that came in a thousand
 * pieces was searched from its start a thousand times, minutes of the event loop for 16 MB).
 */
export class LineSplitter {
  private pending = '';
  /** The line in progress outgrew MAX_LINE_CHARS: it is dropped up to its end. */
  private overlong = false;

  constructor(private readonly maxChars = MAX_LINE_CHARS) {}

  /** The lines this text completes, without their `\n`. */
  push(text: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      const piece = text.slice(start, newline);
      start = newline + 1;
      if (this.overlong) this.overlong = false;
      else lines.push(this.pending + piece);
      this.pending = '';
    }
    if (!this.overlong && start < text.length) {
      this.pending += start === 0 ? text : text.slice(start);
      if (this.pending.length > this.maxChars) {
        this.pending = '';
        this.overlong = true;
      }
    }
    return lines;
  }

  /** A last line without its newline, once the text has ended. */
  end(): string[] {
    const rest = this.pending;
    this.pending = '';
    const overlong = this.overlong;
    this.overlong = false;
    return rest && !overlong ? [rest] : [];
  }
}
