/** The sample rate in a FLAC STREAMINFO block (`at`: the block's data): 20 bits after the block and frame sizes. */
export function streamInfoRate(bytes: Buffer, at: number): number {
  return (bytes[at + 10] << 12) | (bytes[at + 11] << 4) | (bytes[at + 12] >> 4);
}

/**
 * A native FLAC stream's length (`fLaC` at `start`), from its first metadata block, which is
 * always STREAMINFO: after the rate, 3 bits of channels, 5 of sample size, 36 of total samples
 * (0: unknown).
 */
export function flacSeconds(bytes: Buffer, start: number): number | undefined {
  const block = start + 4;
  if ((bytes[block] & 0x7f) !== 0) return undefined;
  const info = block + 4;
  const rate = streamInfoRate(bytes, info);
  const samples = (bytes[info + 13] & 0x0f) * 2 ** 32 + bytes.readUInt32BE(info + 14);
  return rate > 0 && samples > 0 ? samples / rate : undefined;
}
