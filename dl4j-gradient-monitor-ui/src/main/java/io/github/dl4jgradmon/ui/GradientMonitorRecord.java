package io.github.dl4jgradmon.ui;

import org.deeplearning4j.core.storage.Persistable;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.OutputStream;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Common part of the records the GradientMonitor stores in a DL4J {@code StatsStorage}: the (session, type, worker,
 * timestamp) key every {@link Persistable} has, and the compact binary encoding DL4J's file storage and remote router
 * use. Subclasses add their own fields.
 *
 * <p>Encoding: {@code 'G'}, a version byte (2), a kind byte, the payload length, the fields
 * ({@link java.io.DataOutputStream} layout), a CRC-32. Decoding checks the CRC before reading any field and bounds
 * every count by the bytes the record really holds (a stream is read only as far as it goes): truncated, corrupted or
 * crafted bytes throw {@code IllegalArgumentException("corrupt GradientMonitor record: ...")}, never an
 * {@code OutOfMemoryError}. Version 1 records (no length) are still read from bytes and buffers.
 *
 * <pre>{@code
 * for (Persistable p : storage.getAllUpdatesAfter(session, GradientMonitorRecord.TYPE_ID, "0", 0)) {
 *     if (p instanceof GradientUpdate u) {
 *         System.out.println(u.iteration() + " " + u.globalGradientNorm());
 *     }
 * }
 * }</pre>
 *
 * <p>Java serialization (how dl4j-spark ships records from the executors to the driver, and how DL4J's SQLite
 * storage keeps them) writes the same frame: {@code [frame length: int][frame]}, and reads it back through the same
 * checks, reading the frame only as far as the stream really goes. No field is serialized by default, so a forged
 * stream cannot make the reader allocate an array by its claimed length, nor hand it names and values whose counts
 * disagree. The serialized form of version 1 of this library (default field serialization) is not read.
 *
 * <p>Subclasses have a public no-arg constructor because DL4J instantiates them by class name before calling
 * {@code decode}; that is also why they are mutable.
 */
public abstract class GradientMonitorRecord implements Persistable {

    @Serial
    private static final long serialVersionUID = 2L;
    /** Nothing is serialized by default: {@link #writeObject} writes the checked frame. */
    @Serial
    private static final ObjectStreamField[] serialPersistentFields = {};

    /** The type ID of every GradientMonitor record: it sits next to DL4J's own {@code StatsListener} type. */
    public static final String TYPE_ID = "GradientMonitor";

    private String sessionId = "";
    private String workerId = "";
    private long timestamp;

    GradientMonitorRecord() {
    }

    GradientMonitorRecord(String sessionId, String workerId, long timestamp) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0 (got: " + timestamp + ")");
        }
        this.timestamp = timestamp;
    }

    abstract byte kind();

    abstract void writeBody(DataOutputStream out) throws IOException;

    abstract void readBody(RecordCodec.In in) throws IOException;

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public String getTypeID() {
        return TYPE_ID;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public long getTimeStamp() {
        return timestamp;
    }

    @Override
    public int encodingLengthBytes() {
        return encode().length;
    }

    @Override
    public byte[] encode() {
        return RecordCodec.encode(kind(), this::writeAll);
    }

    @Override
    public void encode(ByteBuffer buffer) {
        buffer.put(encode());
    }

    @Override
    public void encode(OutputStream outputStream) throws IOException {
        RecordCodec.encode(kind(), this::writeAll, outputStream);
    }

    @Override
    public void decode(byte[] bytes) {
        RecordCodec.decode(kind(), bytes, this::readAll);
    }

    @Override
    public void decode(ByteBuffer buffer) {
        RecordCodec.decode(kind(), buffer, this::readAll);
    }

    @Override
    public void decode(InputStream inputStream) {
        RecordCodec.decode(kind(), inputStream, this::readAll);
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        byte[] frame = encode();
        out.writeInt(frame.length);
        out.write(frame);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        int length = in.readInt();
        if (length < 0 || length > RecordCodec.MAX_FRAME_BYTES) {
            throw new InvalidObjectException("corrupt GradientMonitor record: serialized frame length " + length
                    + " out of range [0, " + RecordCodec.MAX_FRAME_BYTES + "]");
        }
        byte[] frame = in.readNBytes(length); // grows in chunks as bytes arrive, not by the claim
        if (frame.length != length) {
            throw new InvalidObjectException("corrupt GradientMonitor record: serialized frame of " + length
                    + " bytes ends after " + frame.length);
        }
        try {
            decode(frame);
        } catch (IllegalArgumentException e) {
            InvalidObjectException invalid = new InvalidObjectException(e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }

    /** A stream that does not carry this class's frame at all (a forged class hierarchy) is refused. */
    @Serial
    private void readObjectNoData() throws InvalidObjectException {
        throw new InvalidObjectException("corrupt GradientMonitor record: the stream carries no record frame");
    }

    private void writeAll(DataOutputStream out) throws IOException {
        out.writeUTF(sessionId);
        out.writeUTF(workerId);
        out.writeLong(timestamp);
        writeBody(out);
    }

    private void readAll(RecordCodec.In in) throws IOException {
        String session = in.string();
        String worker = in.string();
        long time = in.nonNegativeLong("timestamp");
        readBody(in);
        this.sessionId = session;
        this.workerId = worker;
        this.timestamp = time;
    }

    /** Writes a possibly-long string (u16 length limit of writeUTF) cut to fit. */
    static void writeText(DataOutputStream out, String s) throws IOException {
        out.writeUTF(StoredText.fit(s));
    }
}
