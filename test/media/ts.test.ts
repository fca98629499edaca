import { describe, expect, it } from 'vitest';
import { PID_AUDIO, PID_PAT, PID_PMT, PID_VIDEO, STREAM_ID_AUDIO, STREAM_ID_VIDEO } from '../../src/media/ts/constants.js';
import { crc32Mpeg2 } from '../../src/media/ts/crc32.js';
import { TsMuxer } from '../../src/media/ts/muxer.js';
import { freeSlabCount, releaseTsBytes, TsPacketWriter, writePcr } from '../../src/media/ts/packet-writer.js';
import { encodePesHeader } from '../../src/media/ts/pes.js';
import { encodePatSection, encodePmtSection } from '../../src/media/ts/psi.js';
import { readPes, readSections, readTsPackets } from '../helpers/ts-inspector.js';

// Sections copied from `ffmpeg -c copy -f mpegts` output (same PIDs and stream types as ours).
const FFMPEG_PAT = '00b00d0001c100000001f0002ab104b2';
const FFMPEG_PMT = '02b0170001c10000e100f0001be100f0000fe101f0002f44b99b';

describe('CRC-32/MPEG-2', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(crc32Mpeg2(Buffer.from('123456789'))).toBe(0x0376e6e7);
  });

  it("matches the CRC_32 of ffmpeg's PAT", () => {
    const pat = Buffer.from(FFMPEG_PAT, 'hex');
    expect(crc32Mpeg2(pat, 0, pat.length - 4)).toBe(0x2ab104b2);
  });
});

describe('PSI sections', () => {
  it('builds a PAT byte-identical to ffmpeg (program 1 -> PMT PID 0x1000)', () => {
    expect(encodePatSection({ transportStreamId: 1, version: 0, programNumber: 1, pmtPid: PID_PMT }).toString('hex')).toBe(FFMPEG_PAT);
  });

  it('builds a PMT byte-identical to ffmpeg (H.264 on 0x100 carrying PCR, ADTS AAC on 0x101)', () => {
    const pmt = encodePmtSection({
      programNumber: 1,
      version: 0,
      pcrPid: PID_VIDEO,
      streams: [
        { streamType: 0x1b, pid: PID_VIDEO },
        { streamType: 0x0f, pid: PID_AUDIO },
      ],
    });
    expect(pmt.toString('hex')).toBe(FFMPEG_PMT);
  });
});

describe('PES header', () => {
  it('writes PTS and DTS for a B-frame stream start (PTS 1.48 s, DTS 1.4 s), unbounded length for video', () => {
    // 133200 = 0x20850 -> 31 00 09 10 a1 ; 126000 = 0x1ec30 -> 11 00 07 d8 61
    const header = encodePesHeader({ streamId: STREAM_ID_VIDEO, pts: 133200, dts: 126000 });
    expect(header.toString('hex')).toBe('000001e0' + '0000' + '84' + 'c0' + '0a' + '310009' + '10a1' + '110007' + 'd861');
  });

  it('omits DTS when it equals PTS and counts PES_packet_length for audio', () => {
    const header = encodePesHeader({ streamId: STREAM_ID_AUDIO, pts: 126000, dts: 126000, payloadLength: 400 });
    expect(header.toString('hex')).toBe('000001c0' + '0198' + '84' + '80' + '05' + '210007d861'); // 3 + 5 + 400 = 0x198
  });

  it('encodes bit 32 of a timestamp and wraps values at 2^33', () => {
    expect(
      encodePesHeader({ streamId: 0xe0, pts: 2 ** 33 - 1 })
        .subarray(9)
        .toString('hex'),
    ).toBe('2fffffffff');
    expect(encodePesHeader({ streamId: 0xe0, pts: 2 ** 33 + 5 }).subarray(9)).toEqual(
      encodePesHeader({ streamId: 0xe0, pts: 5 }).subarray(9),
    );
  });

  it('writes 0 as PES_packet_length when the payload exceeds 65535 bytes', () => {
    expect(encodePesHeader({ streamId: 0xe0, pts: 0, payloadLength: 70_000 }).readUInt16BE(4)).toBe(0);
  });
});

describe('TsPacketWriter', () => {
  it('encodes the PCR base in 33 bits followed by 6 reserved bits', () => {
    const out = Buffer.alloc(6);
    writePcr(out, 0, 2 ** 33 - 1);
    expect(out.toString('hex')).toBe('fffffffffe00');
    writePcr(out, 0, 126000);
    expect(out.toString('hex')).toBe('0000f6187e00');
  });

  it('puts PCR and random_access_indicator in the first packet and stuffs the rest of a short PES', () => {
    const w = new TsPacketWriter();
    const header = encodePesHeader({ streamId: 0xe0, pts: 126000 });
    w.writePes(PID_VIDEO, [header, Buffer.alloc(10, 0xaa)], { pcr: 0, randomAccess: true });
    const p = w.take()!;
    expect(p).toHaveLength(188);
    expect(p.subarray(0, 4).toString('hex')).toBe('47410030'); // PUSI, PID 0x100, AF + payload, CC 0
    expect(p[4]).toBe(183 - 14 - 10); // adaptation_field_length: everything but the 24 payload bytes
    expect(p.subarray(5, 12).toString('hex')).toBe('50' + '0000' + '00007e00'); // RAI + PCR flags, PCR 0
    expect(p.subarray(12, 188 - 24).every((b) => b === 0xff)).toBe(true);
    expect(p.subarray(188 - 24, 188 - 10)).toEqual(header);
    expect(w.take()).toBeUndefined();
  });

  it('stuffs a 183-byte remainder with a single adaptation_field_length byte of 0', () => {
    const w = new TsPacketWriter();
    w.writePes(PID_AUDIO, [Buffer.alloc(184 + 183, 1)]);
    const packets = readTsPackets(w.take()!);
    expect(packets.map((p) => p.adaptationFieldControl)).toEqual([1, 3]);
    const raw = w.take();
    expect(raw).toBeUndefined();
    expect(packets[1]!.payload).toHaveLength(183);
  });

  it('runs continuity counters per PID modulo 16 and leaves them unchanged on PCR-only packets', () => {
    const w = new TsPacketWriter();
    for (let i = 0; i < 17; i++) w.writePes(PID_VIDEO, [Buffer.alloc(10)]);
    w.writePcrOnly(PID_VIDEO, 1000);
    w.writePes(PID_AUDIO, [Buffer.alloc(10)]);
    w.writePes(PID_VIDEO, [Buffer.alloc(10)]);
    const packets = readTsPackets(w.take()!);
    expect(packets.map((p) => p.continuityCounter)).toEqual([...Array.from({ length: 16 }, (_, i) => i), 0, 0, 0, 1]);
    expect(packets[17]).toMatchObject({ adaptationFieldControl: 2, pcr: 1000, payload: Buffer.alloc(0) });
  });
});

describe('TsMuxer', () => {
  const au = (dts: number, pts: number, key = false) => ({ dts, pts, key, data: Buffer.from([0, 0, 0, 1, 9, 0xf0]) });

  it('starts the timeline at 1.4 s, writes DTS only for reordered frames, and keeps PCR <= DTS', () => {
    const m = new TsMuxer();
    m.writeTables(true);
    m.writeVideo(au(5000, 5080, true));
    m.writeVideo(au(5040, 5040));
    m.writeAudio([au(5030, 5030)]);
    const packets = readTsPackets(m.take()!);
    const video = readPes(packets, PID_VIDEO);
    expect(video.map((v) => [v.dts, v.pts, v.hasDts])).toEqual([
      [126000, 133200, true],
      [129600, 129600, false],
    ]);
    expect(video.map((v) => v.pcr)).toEqual([0, 3600]);
    expect(video[0]!.randomAccess).toBe(true);
    expect(readPes(packets, PID_AUDIO)[0]!.pts).toBe(126000 + 30 * 90);
    expect(readSections(packets, PID_PAT)).toHaveLength(1);
  });

  it('wraps PTS/DTS at 33 bits after ~26.5 hours', () => {
    const m = new TsMuxer();
    m.writeTables(false);
    m.writeVideo(au(0, 0, true));
    m.writeVideo(au(95_443_000, 95_443_000)); // 95443000 * 90 + 126000 - 2^33 = 61408
    const [, wrapped] = readPes(readTsPackets(m.take()!), PID_VIDEO);
    expect(wrapped!.pts).toBe(61408);
  });

  it('inserts PCR-only packets between sparse video frames while audio flows', () => {
    const m = new TsMuxer();
    m.writeTables(true);
    m.writeVideo(au(0, 0, true));
    for (let t = 23; t < 1000; t += 23) m.writeAudio([au(t, t)]);
    m.writeVideo(au(1000, 1000));
    const pcrs = readTsPackets(m.take()!).flatMap((p) => (p.pid === PID_VIDEO && p.pcr !== undefined ? [p.pcr] : []));
    expect(pcrs.length).toBeGreaterThan(9);
    const gaps = pcrs.slice(1).map((pcr, i) => pcr - pcrs[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(123 * 90); // 100 ms + one 23 ms audio frame
    expect(Math.min(...gaps)).toBeGreaterThan(0);
  });

  it('bumps the PMT version when audio appears after a video-only PMT', () => {
    const m = new TsMuxer();
    m.writeTables(false);
    m.writeVideo(au(0, 0, true));
    m.writeAudio([au(10, 10)]);
    const pmts = readSections(readTsPackets(m.take()!), PID_PMT);
    expect(pmts.map((s) => (s[5]! >> 1) & 0x1f)).toEqual([0, 1]);
    expect(pmts[1]!.length).toBe(pmts[0]!.length + 5); // one more elementary stream entry
  });
});

describe('TsPacketWriter.take', () => {
  it('hands out views that no later write changes, across slab changes, and together they are every packet in order', () => {
    const writer = new TsPacketWriter();
    const taken: Array<{ view: Buffer; copy: Buffer }> = [];
    for (let i = 0; i < 400; i++) {
      // 1.5 KB and 40 KB payloads: many small takes, and PES packets larger than what is left of a slab.
      const payload = Buffer.alloc(i % 50 === 0 ? 40_000 : 1500, i & 0xff);
      writer.writePes(PID_VIDEO, [encodePesHeader({ streamId: STREAM_ID_VIDEO, pts: i * 3600 }), payload]);
      const view = writer.take()!;
      taken.push({ view, copy: Buffer.from(view) });
    }
    expect(writer.take()).toBeUndefined();
    expect(taken.filter((t) => !t.view.equals(t.copy))).toEqual([]);
    const all = Buffer.concat(taken.map((t) => t.view));
    const packets = readTsPackets(all);
    expect(all.length % 188).toBe(0);
    expect(packets.every((p, i) => p.pid === PID_VIDEO && p.continuityCounter === i % 16)).toBe(true);
  });

  it('reuses a slab only once the writer left it and every view taken from it was released', () => {
    const writeSome = (writer: TsPacketWriter, fill: number, count: number): Array<{ view: Buffer; copy: Buffer }> => {
      const taken: Array<{ view: Buffer; copy: Buffer }> = [];
      for (let i = 0; i < count; i++) {
        writer.writePes(PID_VIDEO, [encodePesHeader({ streamId: STREAM_ID_VIDEO, pts: i * 3600 }), Buffer.alloc(1500, fill)]);
        const view = writer.take()!;
        taken.push({ view, copy: Buffer.from(view) });
      }
      return taken;
    };
    // ~1.7 KB per take: 200 takes fill five 64 KiB slabs.
    const first = writeSome(new TsPacketWriter(), 1, 200);
    const held = first.filter((t) => t.view.buffer === first[0]!.view.buffer);
    const before = freeSlabCount();
    for (const t of first) if (t.view.buffer !== first[0]!.view.buffer) releaseTsBytes(t.view);
    const freed = freeSlabCount() - before;
    expect(freed).toBeGreaterThanOrEqual(3); // the full slabs whose views were all released; not the one still held
    // A second writer takes the freed slabs: the views still held keep their bytes.
    const second = writeSome(new TsPacketWriter(), 2, 200);
    expect(second.some((t) => first.some((f) => f.view.buffer === t.view.buffer))).toBe(true);
    expect(held.filter((t) => !t.view.equals(t.copy))).toEqual([]);
    expect(second.filter((t) => !t.view.equals(t.copy))).toEqual([]);
    // Releasing the held views frees their slab too (the first writer has moved on from it).
    const beforeHeld = freeSlabCount();
    for (const t of held) releaseTsBytes(t.view);
    expect(freeSlabCount()).toBe(beforeHeld + 1);
  });
});
