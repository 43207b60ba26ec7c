/** A box of an ISO media file (MP4, M4A): its four-letter type and where its contents lie. */
interface Box {
  type: string;
  data: number;
  end: number;
}

/** The boxes in [start, end), each cut at `end` when the file ends inside it. */
function boxes(bytes: Buffer, start: number, end: number): Box[] {
  const found: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = bytes.readUInt32BE(at);
    let data = at + 8;
    // 1: a 64-bit size follows the type; 0: the box runs to the end of the file.
    if (size === 1) {
      size = Number(bytes.readBigUInt64BE(at + 8));
      data += 8;
    } else if (size === 0) size = end - at;
    if (size < data - at) break;
    found.push({ type: bytes.toString('latin1', at + 4, at + 8), data, end: Math.min(at + size, end) });
    at += size;
  }
  return found;
}

function child(bytes: Buffer, parent: Box | undefined, type: string): Box | undefined {
  return parent && boxes(bytes, parent.data, parent.end).find((box) => box.type === type);
}

/** A full box's version 0 field or its version 1 (64-bit) counterpart, `offset0`/`offset1` bytes into it. */
function versioned(bytes: Buffer, box: Box, offset0: number, offset1: number, wide: boolean): number {
  if (bytes[box.data] === 1)
    return wide ? Number(bytes.readBigUInt64BE(box.data + offset1)) : bytes.readUInt32BE(box.data + offset1);
  return bytes.readUInt32BE(box.data + offset0);
}

/**
 * An MP4 or M4A file's length: the movie header's duration over its timescale, wherever the
 * `moov` box is (before or after the media). A fragmented file (Safari's recordings) leaves that
 * duration 0: then the fragment duration of `mehd`, else the sum of the sound track's samples.
 */
export function mp4Seconds(bytes: Buffer): number | undefined {
  const top = boxes(bytes, 0, bytes.length);
  const moov = top.find((box) => box.type === 'moov');
  const mvhd = child(bytes, moov, 'mvhd');
  if (!moov || !mvhd) return undefined;
  const timescale = versioned(bytes, mvhd, 12, 20, false);
  const duration = versioned(bytes, mvhd, 16, 24, true);
  if (!timescale) return undefined;
  if (duration > 0 && duration < 0xffffffff) return duration / timescale;
  const mehd = child(bytes, child(bytes, moov, 'mvex'), 'mehd');
  const fragments = mehd ? versioned(bytes, mehd, 4, 4, true) : 0;
  if (fragments > 0) return fragments / timescale;
  return fragmentedSeconds(bytes, moov, top);
}

/** The sound track's samples summed over the fragments (`moof` → `traf` → `trun`), in its media timescale. */
function fragmentedSeconds(bytes: Buffer, moov: Box, top: Box[]): number | undefined {
  const track = soundTrack(bytes, moov);
  if (!track) return undefined;
  const mvex = child(bytes, moov, 'mvex');
  const trex =
    mvex &&
    boxes(bytes, mvex.data, mvex.end).find(
      (box) => box.type === 'trex' && bytes.readUInt32BE(box.data + 4) === track.id,
    );
  let total = 0;
  for (const moof of top.filter((box) => box.type === 'moof')) {
    for (const traf of boxes(bytes, moof.data, moof.end).filter((box) => box.type === 'traf')) {
      const tfhd = child(bytes, traf, 'tfhd');
      if (!tfhd || bytes.readUInt32BE(tfhd.data + 4) !== track.id) continue;
      const flags = bytes.readUInt32BE(tfhd.data) & 0xffffff;
      // Optional fields in order: base data offset (8), sample description index (4), default duration (4).
      const at = tfhd.data + 8 + (flags & 0x01 ? 8 : 0) + (flags & 0x02 ? 4 : 0);
      const fallback = flags & 0x08 ? bytes.readUInt32BE(at) : trex ? bytes.readUInt32BE(trex.data + 12) : 0;
      for (const trun of boxes(bytes, traf.data, traf.end).filter((box) => box.type === 'trun')) {
        total += runDuration(bytes, trun, fallback);
      }
    }
  }
  return total > 0 ? total / track.timescale : undefined;
}

/** A track run's samples: each with its own duration (flag 0x100), else the default's count. */
function runDuration(bytes: Buffer, trun: Box, fallback: number): number {
  const flags = bytes.readUInt32BE(trun.data) & 0xffffff;
  const count = bytes.readUInt32BE(trun.data + 4);
  if (!(flags & 0x100)) return count * fallback;
  // Data offset (4) and first sample's flags (4) when present, then per sample: duration, size, flags, offset.
  let at = trun.data + 8 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0);
  const stride = 4 * (1 + (flags & 0x200 ? 1 : 0) + (flags & 0x400 ? 1 : 0) + (flags & 0x800 ? 1 : 0));
  let sum = 0;
  for (let sample = 0; sample < count && at + 4 <= trun.end; sample++, at += stride) sum += bytes.readUInt32BE(at);
  return sum;
}

/** The first track whose handler is `soun`: its id (`tkhd`) and media timescale (`mdhd`). */
function soundTrack(bytes: Buffer, moov: Box): { id: number; timescale: number } | undefined {
  for (const trak of boxes(bytes, moov.data, moov.end).filter((box) => box.type === 'trak')) {
    const mdia = child(bytes, trak, 'mdia');
    const hdlr = child(bytes, mdia, 'hdlr');
    const mdhd = child(bytes, mdia, 'mdhd');
    const tkhd = child(bytes, trak, 'tkhd');
    if (!hdlr || !mdhd || !tkhd || bytes.toString('latin1', hdlr.data + 8, hdlr.data + 12) !== 'soun') continue;
    return { id: versioned(bytes, tkhd, 12, 20, false), timescale: versioned(bytes, mdhd, 12, 20, false) };
  }
  return undefined;
}
