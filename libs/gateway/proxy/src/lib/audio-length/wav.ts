/**
 * A RIFF/WAVE file's length: its `data` chunk's bytes over the `fmt ` chunk's byte rate. A data
 * size of 0 or 0xFFFFFFFF (written by recorders that could not seek back) means "to the end".
 */
export function wavSeconds(bytes: Buffer): number | undefined {
  let byteRate: number | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const data = at + 8;
    if (id === 'fmt ') byteRate = bytes.readUInt32LE(data + 8);
    else if (id === 'data') {
      if (!byteRate) return undefined;
      const available = bytes.length - data;
      const length = size === 0 || size === 0xffffffff ? available : Math.min(size, available);
      return length / byteRate;
    }
    // Chunks are padded to an even length.
    at = data + size + (size & 1);
  }
  return undefined;
}
