/**
 * Copies frame bytes out of buffers the capture does not own (caller chunks, libpcap's reused buffer)
 * into memory that only frames reference and nothing writes again. Small frames are packed into 8 KiB
 * slabs, like Node's Buffer pool, because one ArrayBuffer per frame costs several times the parse
 * itself; so a frame's `data.buffer` may hold neighbouring frames' bytes too — view a frame through
 * `data` (or its byteOffset/byteLength), never through `data.buffer` alone. A frame kept alive keeps at
 * most one slab (8 KiB) alive. Frames above 2 KiB get their own ArrayBuffer.
 */
const SLAB_BYTES = 8192;
const MAX_POOLED_BYTES = 2048;

/** One reader's slab allocator; not shared between readers, so slabs are filled in frame order. */
export class FrameDataPool {
  private slab = new Uint8Array(0);
  private used = 0;

  /** A copy of `src[start, end)`. */
  copy(src: Uint8Array, start: number, end: number): Uint8Array {
    const n = end - start;
    if (n > MAX_POOLED_BYTES) return src.slice(start, end);
    if (this.used + n > this.slab.length) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const at = this.used;
    this.slab.set(src.subarray(start, end), at);
    this.used = (at + n + 7) & ~7;
    return new Uint8Array(this.slab.buffer, at, n);
  }
}
