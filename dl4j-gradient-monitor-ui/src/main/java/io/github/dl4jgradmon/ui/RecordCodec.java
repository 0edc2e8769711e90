package io.github.dl4jgradmon.ui;

import java.io.ByteArrayInputStream;
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

/**
 * The binary frame shared by the GradientMonitor records:
 * {@code [magic 'G'][version 2][kind][payload length: int][payload][crc32 of everything before]}.
 *
 * <p>Decoding never trusts a length before it has the bytes: the frame is read whole first (from a stream, only as
 * far as the stream really goes, in chunks, and never beyond {@link #MAX_RECORD_BYTES}), the CRC is verified, and only
 * then is the payload parsed, every count checked against what is left of the payload before anything is allocated.
 * Corrupt or hostile input fails with an {@link IllegalArgumentException} ("corrupt GradientMonitor record: ...");
 * what a decode allocates is bounded by a small multiple of the bytes it was given.
 *
 * <p>Version 1 frames ({@code [magic][1][kind][payload][crc32]}, no length) are still read from a byte array or
 * buffer, where the length is known; a stream cannot delimit them and they are refused there. Internal.
 */
final class RecordCodec {

    static final byte MAGIC = 'G';
    static final byte VERSION = 2;
    static final byte VERSION_1 = 1;
    /** Record kinds. */
    static final byte STATIC_INFO = 1;
    static final byte UPDATE = 2;
    static final byte ALERT = 3;

    /** Hard limits on counts read from a record (a model with more layers than this is not plausible). */
    static final int MAX_LAYERS = 100_000;
    static final int MAX_FIELDS = 1_024;
    /** Moved parameter arrays per update (a handful per layer: centers, running mean and variance). */
    static final int MAX_MOVED = 4 * MAX_LAYERS;
    /** Largest payload accepted (a 100,000-layer update is about 10 MB). */
    static final int MAX_RECORD_BYTES = 64 << 20;

    private static final int HEADER = 7;
    private static final int V1_HEADER = 3;
    private static final int CRC = 4;
    /** Largest whole frame (header, payload, checksum) accepted. */
    static final int MAX_FRAME_BYTES = HEADER + MAX_RECORD_BYTES + CRC;

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
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream(256);
            DataOutputStream p = new DataOutputStream(payload);
            body.write(p);
            p.flush();
            ByteArrayOutputStream frame = new ByteArrayOutputStream(HEADER + payload.size() + CRC);
            DataOutputStream out = new DataOutputStream(frame);
            out.writeByte(MAGIC);
            out.writeByte(VERSION);
            out.writeByte(kind);
            out.writeInt(payload.size());
            payload.writeTo(out);
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(frame.toByteArray());
            out.writeInt((int) crc.getValue());
            return frame.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
    }

    static void encode(byte kind, Body body, OutputStream target) throws IOException {
        target.write(encode(kind, body));
        target.flush();
    }

    static void decode(byte kind, byte[] bytes, Reader reader) {
        if (bytes == null) {
            throw corrupt("no bytes (null)");
        }
        int end = frameEnd(kind, bytes, bytes.length);
        if (end != bytes.length) {
            throw corrupt((bytes.length - end) + " unexpected trailing bytes");
        }
        parse(bytes, reader);
    }

    /** Reads one record from the buffer's position (a version 1 record: everything remaining). */
    static void decode(byte kind, ByteBuffer buffer, Reader reader) {
        if (buffer == null) {
            throw corrupt("no bytes (null buffer)");
        }
        ByteBuffer b = buffer.slice();
        int available = b.remaining();
        int length = available;
        if (available >= HEADER && b.get(1) == VERSION) {
            long frame = (long) HEADER + b.getInt(3) + CRC;
            if (b.getInt(3) < 0 || frame > available) {
                throw corrupt("truncated or bad length (frame of " + frame + " bytes, " + available + " available)");
            }
            length = (int) frame;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        frameEnd(kind, bytes, bytes.length);
        parse(bytes, reader);
        buffer.position(buffer.position() + length);
    }

    /** Reads exactly one version 2 record from the stream, only as far as the stream goes. */
    static void decode(byte kind, InputStream stream, Reader reader) {
        if (stream == null) {
            throw corrupt("no bytes (null stream)");
        }
        try {
            byte[] header = stream.readNBytes(HEADER);
            checkHeader(kind, header, header.length);
            if (header[1] == VERSION_1) {
                throw corrupt("a version 1 record has no length and cannot be read from a stream; decode its bytes");
            }
            if (header.length < HEADER) {
                throw truncated(header.length);
            }
            int payload = ByteBuffer.wrap(header, 3, 4).getInt();
            checkLength(payload);
            byte[] rest = stream.readNBytes(payload + CRC); // grows in chunks as bytes arrive, not by the claim
            if (rest.length < payload + CRC) {
                throw truncated(HEADER + rest.length);
            }
            byte[] bytes = new byte[HEADER + rest.length];
            System.arraycopy(header, 0, bytes, 0, HEADER);
            System.arraycopy(rest, 0, bytes, HEADER, rest.length);
            frameEnd(kind, bytes, bytes.length);
            parse(bytes, reader);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a GradientMonitor record failed", e);
        }
    }

    /** Checks magic, version, kind, length and CRC of the frame at the start of {@code bytes}; returns its end. */
    private static int frameEnd(byte kind, byte[] bytes, int available) {
        checkHeader(kind, bytes, available);
        int end;
        if (bytes[1] == VERSION_1) {
            if (available < V1_HEADER + CRC) {
                throw truncated(available);
            }
            end = available;
        } else {
            if (available < HEADER) {
                throw truncated(available);
            }
            int payload = ByteBuffer.wrap(bytes, 3, 4).getInt();
            checkLength(payload);
            if ((long) HEADER + payload + CRC > available) {
                throw truncated(available);
            }
            end = HEADER + payload + CRC;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, end - CRC);
        int expected = (int) crc.getValue();
        int actual = ByteBuffer.wrap(bytes, end - CRC, CRC).getInt();
        if (actual != expected) {
            throw corrupt("checksum mismatch (stored " + Integer.toHexString(actual) + ", computed "
                    + Integer.toHexString(expected) + ")");
        }
        return end;
    }

    private static void checkHeader(byte kind, byte[] bytes, int available) {
        if (available < 1) {
            throw truncated(available);
        }
        if (bytes[0] != MAGIC) {
            throw corrupt("bad magic byte " + bytes[0] + " (expected " + MAGIC + ")");
        }
        if (available < 2) {
            throw truncated(available);
        }
        if (bytes[1] != VERSION && bytes[1] != VERSION_1) {
            throw corrupt("unsupported version " + bytes[1] + " (this reader knows " + VERSION_1 + " and " + VERSION
                    + ")");
        }
        if (available < 3) {
            throw truncated(available);
        }
        if (bytes[2] != kind) {
            throw corrupt("record kind " + bytes[2] + " where kind " + kind + " was expected");
        }
    }

    private static void checkLength(int payload) {
        if (payload < 0 || payload > MAX_RECORD_BYTES) {
            throw corrupt("payload length " + payload + " out of range [0, " + MAX_RECORD_BYTES + "]");
        }
    }

    /** Parses the payload of a frame whose CRC has been verified. */
    private static void parse(byte[] frame, Reader reader) {
        int start = frame[1] == VERSION_1 ? V1_HEADER : HEADER;
        In in = new In(frame, start, frame.length - CRC - start);
        try {
            reader.read(in);
        } catch (EOFException e) {
            throw corrupt("payload ends early (after " + in.consumed() + " of " + in.length + " bytes)");
        } catch (UTFDataFormatException e) {
            throw corrupt("malformed string: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: reading from memory", e);
        }
        if (in.remaining() != 0) {
            throw corrupt(in.remaining() + " unexpected trailing bytes in the payload");
        }
    }

    private static IllegalArgumentException truncated(long bytes) {
        return corrupt("truncated (ended after " + bytes + " bytes)");
    }

    static IllegalArgumentException corrupt(String why) {
        return new IllegalArgumentException("corrupt GradientMonitor record: " + why);
    }

    /** A reader over one verified payload: every count is checked against the bytes left. */
    static final class In {
        private final ByteArrayInputStream bytes;
        final DataInputStream data;
        private final int length;

        In(byte[] frame, int offset, int length) {
            this.bytes = new ByteArrayInputStream(frame, offset, length);
            this.data = new DataInputStream(bytes);
            this.length = length;
        }

        long consumed() {
            return length - remaining();
        }

        long remaining() {
            return bytes.available();
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

        /**
         * A length-prefixed (u16) string whose length is checked against what is left before it is read, cut to
         * {@link StoredText#MAX_CHARS} as the live records are when written (a record from another writer may hold up to
         * 65,535 characters).
         */
        String string() throws IOException {
            bytes.mark(2);
            int utfLength = data.readUnsignedShort();
            if (utfLength > remaining()) {
                throw corrupt("string of " + utfLength + " bytes where " + remaining() + " are left");
            }
            bytes.reset();
            return StoredText.fit(data.readUTF());
        }

        long nonNegativeLong(String what) throws IOException {
            long v = data.readLong();
            if (v < 0) {
                throw corrupt(what + " must be >= 0 (got: " + v + ")");
            }
            return v;
        }
    }
}
