#!/usr/bin/env bash
# Makes the audio files the tests read (audioFixture), with Debian's ffmpeg (apt-get install ffmpeg), and
# lengths.json: each file's length as ffprobe reads it (or, where ffprobe reads none, the tone's own).
# The files are committed: the tests do not need ffmpeg. A 440 Hz tone, mono, 7.3 s (WAV 2.3 s).
set -euo pipefail
cd "$(dirname "$0")"
tone() { echo "-f lavfi -i sine=frequency=440:duration=$1:sample_rate=16000 -ac 1"; }
encode() { ffmpeg -v error -y $(tone 7.3) "$@"; }
encode -b:a 16k -metadata title="A meeting" tone.mp3                           # ID3v2 tag, Xing/Info header
encode -b:a 16k -write_xing 0 -id3v2_version 0 -write_id3v1 1 tone-no-xing.mp3 # frames counted, ID3v1 tag at the end
encode -c:a libmp3lame -q:a 9 tone-vbr.mp3                                       # variable bitrate
encode -ar 8000 tone.flac
encode -c:a aac -b:a 16k -f adts tone.aac                                      # AAC in ADTS frames, as text to speech streams it
encode -c:a libopus -b:a 12k tone.opus.ogg
encode -c:a libvorbis -q:a 0 tone.vorbis.ogg
encode -ar 8000 -c:a flac -f ogg tone.flac.ogg
encode -c:a aac -b:a 16k tone.m4a                                               # moov after the media
encode -c:a aac -b:a 16k -movflags +faststart tone-faststart.m4a                # moov first
encode -c:a aac -b:a 16k -movflags frag_keyframe+empty_moov -f mp4 - >tone-fragmented.mp4
encode -c:a libopus -b:a 12k tone.webm
encode -c:a libopus -b:a 12k -f webm - >tone-live.webm                          # no duration, as MediaRecorder writes
ffmpeg -v error -y $(tone 2.3) -ar 8000 -c:a pcm_u8 tone.wav
ffmpeg -v error -y $(tone 2.3) -ar 8000 -c:a pcm_u8 -f wav - >tone-piped.wav   # data size 0xFFFFFFFF
{
  echo '{'
  first=1
  for file in tone*; do
    seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$file")
    if [ "$seconds" = "N/A" ]; then seconds=7.3; fi
    [ $first = 1 ] || echo ','
    first=0
    printf '  "%s": %s' "$file" "$seconds"
  done
  echo
  echo '}'
} >lengths.json
npx prettier --write lengths.json >/dev/null
