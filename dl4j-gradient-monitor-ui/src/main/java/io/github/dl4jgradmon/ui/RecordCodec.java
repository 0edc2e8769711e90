package io.github.dl4jgradmon.ui;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The binary frame shared by the GradientMonitor records: {@code [magic 'G'][version][kind][payload][crc32]}.
 *
 * <p>The CRC covers magic, version, kind and payload, so a flipped bit anywhere is caught. Every count read from the
 * stream is checked against a hard limit before anything is allocated, so corrupt input fails with an {@link
 * IllegalArgumentException} ("corrupt GradientMonitor record: ...") instead of an OutOfMemoryError or a hang.
 * Internal.
 */
final class RecordCodec {

    static final byte MAGIC = 'G';
    static final byte VERSION = 1;
    /** Record kinds. */
    static final byte STATIC_INFO = 1;
    static final byte UPDATE = 2;
    static final byte ALERT = 3;

    /** Hard limits on counts read from a record (a model with more layers than this is not plausible). */
    static final int MAX_LAYERS = 100_000;
    static final int MAX_FIELDS = 1_024;

    private RecordCodec() {
    }

    /** Writes a record body into a framed byte array. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a record body from the frame. */
    interface Reader {
        void read(In in) throws IOException;
    }

    static byte[] encode(byte kind, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try {
            encode(kind, body, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return bytes.toByteArray();
    }

    static void encode(byte kind, Body body, OutputStream target) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(target, new CRC32());
        DataOutputStream out = new DataOutputStream(checked);
        out.writeByte(MAGIC);
        out.writeByte(VERSION);
        out.writeByte(kind);
        body.write(out);
        out.flush();
        int crc = (int) checked.getChecksum().getValue();
        new DataOutputStream(target).writeInt(crc);
        target.flush();
    }

    static void decode(byte kind, byte[] bytes, Reader reader) {
        if (bytes == null) {
            throw corrupt("no bytes (null)");
        }
        decode(kind, ByteBuffer.wrap(bytes), reader);
    }

    static void decode(byte kind, ByteBuffer buffer, Reader reader) {
        if (buffer == null) {
            throw corrupt("no bytes (null buffer)");
        }
        ByteBuffer b = buffer.slice();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        In in = new In(new java.io.ByteArrayInputStream(bytes), bytes.length);
        read(kind, in, reader);
        if (in.remaining() != 0) {
            throw corrupt(in.remaining() + " unexpected trailing bytes");
        }
        buffer.position(buffer.position() + bytes.length);
    }

    static void decode(byte kind, InputStream stream, Reader reader) {
        if (stream == null) {
            throw corrupt("no bytes (null stream)");
        }
        read(kind, new In(stream, Long.MAX_VALUE), reader);
    }

    private static void read(byte kind, In in, Reader reader) {
        try {
            byte magic = in.data.readByte();
            if (magic != MAGIC) {
                throw corrupt("bad magic byte " + magic + " (expected " + MAGIC + ")");
            }
            byte version = in.data.readByte();
            if (version != VERSION) {
                throw corrupt("unsupported version " + version + " (this reader knows " + VERSION + ")");
            }
            byte actualKind = in.data.readByte();
            if (actualKind != kind) {
                throw corrupt("record kind " + actualKind + " where kind " + kind + " was expected");
            }
            reader.read(in);
            int expected = (int) in.checked.getChecksum().getValue();
            int actual = new DataInputStream(in.raw).readInt();
            in.consumed += 4;
            if (actual != expected) {
                throw corrupt("checksum mismatch (stored " + Integer.toHexString(actual) + ", computed "
                        + Integer.toHexString(expected) + ")");
            }
        } catch (EOFException e) {
            throw corrupt("truncated (ended after " + in.consumed() + " bytes)");
        } catch (UTFDataFormatException e) {
            throw corrupt("malformed string: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading a GradientMonitor record failed", e);
        }
    }

    static IllegalArgumentException corrupt(String why) {
        return new IllegalArgumentException("corrupt GradientMonitor record: " + why);
    }

    /** A bounded reader over one record. */
    static final class In {
        private final InputStream raw;
        private final CheckedInputStream checked;
        private final CountingStream counting;
        final DataInputStream data;
        private final long length;
        private long consumed;

        In(InputStream raw, long length) {
            this.raw = raw;
            this.length = length;
            this.counting = new CountingStream(raw);
            this.checked = new CheckedInputStream(counting, new CRC32());
            this.data = new DataInputStream(checked);
        }

        long consumed() {
            return counting.count + consumed;
        }

        long remaining() {
            return length == Long.MAX_VALUE ? Long.MAX_VALUE : length - consumed();
        }

        /** A count in {@code [0, max]} whose items each take at least {@code minBytesEach} of what is left. */
        int count(String what, int max, int minBytesEach) throws IOException {
            int n = data.readInt();
            if (n < 0 || n > max) {
                throw corrupt(what + " count " + n + " out of range [0, " + max + "]");
            }
            if ((long) n * minBytesEach > remaining()) {
                throw corrupt(what + " count " + n + " needs more bytes than the " + remaining() + " left");
            }
            return n;
        }

        String string() throws IOException {
            return data.readUTF(); // length-prefixed (u16): bounded by 65535 bytes, EOF when truncated
        }

        long nonNegativeLong(String what) throws IOException {
            long v = data.readLong();
            if (v < 0) {
                throw corrupt(what + " must be >= 0 (got: " + v + ")");
            }
            return v;
        }
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
