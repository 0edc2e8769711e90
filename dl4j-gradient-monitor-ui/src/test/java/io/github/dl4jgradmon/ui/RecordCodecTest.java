package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.UnwatchedLayers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCodecTest {

    static Stream<GradientMonitorRecord> records() {
        return Stream.of(
                GradientStaticInfo.of("s1", Fixtures.snapshot("0", 3, 1000, "in", Fixtures.SCARY_NAME, "out"), 1000),
                GradientUpdate.of("s1", Fixtures.snapshot("0", 3, 1000, "in", Fixtures.SCARY_NAME, "out"), 1001),
                GradientUpdate.of("s1", Fixtures.withCenters("1", 4, 1003).asPretrainingOf("out"), 1003),
                GradientUpdate.of("s1", Fixtures.filtered("2", 5, 1004, "out"), 1004),
                new GradientAlertRecord("s1", Fixtures.vanishing("0", 3, "in"), 1002));
    }

    static Supplier<GradientMonitorRecord> blank(GradientMonitorRecord r) {
        if (r instanceof GradientStaticInfo) {
            return GradientStaticInfo::new;
        }
        return r instanceof GradientUpdate ? GradientUpdate::new : GradientAlertRecord::new;
    }

    @ParameterizedTest
    @MethodSource("records")
    void decodesWhatItEncodesFromBytesBufferAndStream(GradientMonitorRecord record) throws IOException {
        byte[] bytes = record.encode();
        assertThat(record.encodingLengthBytes()).isEqualTo(bytes.length);

        GradientMonitorRecord fromBytes = blank(record).get();
        fromBytes.decode(bytes);
        GradientMonitorRecord fromBuffer = blank(record).get();
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length);
        record.encode(buffer);
        buffer.flip();
        fromBuffer.decode(buffer);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        record.encode(stream);
        GradientMonitorRecord fromStream = blank(record).get();
        ByteArrayInputStream in = new ByteArrayInputStream(concat(stream.toByteArray(), new byte[] {42}));
        fromStream.decode(in);

        for (GradientMonitorRecord copy : List.of(fromBytes, fromBuffer, fromStream)) {
            assertThat(copy).usingRecursiveComparison().isEqualTo(record);
            assertThat(copy.encode()).isEqualTo(bytes);
        }
        assertThat(buffer.remaining()).isZero();
        assertThat(in.read()).as("stream decode consumes exactly one record").isEqualTo(42);
    }

    @Test
    void keepsUpdateFieldsByName() {
        GradientUpdate u = GradientUpdate.of("s", Fixtures.snapshot("0", 0, 5, "a", "b"), 5);
        u.decode(u.encode());

        assertThat(u.layerNames()).containsExactly("a", "b");
        assertThat(u.layerValue(0, GradientUpdate.GRADIENT_NORM)).isEqualTo(0.1);
        assertThat(u.layerValue(1, GradientUpdate.GRADIENT_NORM)).isEqualTo(1.0);
        assertThat(u.layerValue(0, GradientUpdate.UPDATE_RATIO)).isEqualTo(0.002 / 2.0);
        assertThat(u.layerValue(0, "notAField")).isNaN();
        assertThat(u.score()).isEqualTo(1.5);
        assertThat(u.modelValue(GradientUpdate.CLIP_SCALE)).isEmpty();
    }

    @Test
    void carriesFieldsItDoesNotKnowAbout() {
        GradientUpdate u = new GradientUpdate("s", "0", 7, 1, 0, 8,
                Map.of(GradientUpdate.CLIP_SCALE, 0.25), List.of("a"), List.of(Map.of("future", 3.0)));
        GradientUpdate copy = new GradientUpdate();
        copy.decode(u.encode());

        assertThat(copy.modelValue(GradientUpdate.CLIP_SCALE)).hasValue(0.25);
        assertThat(copy.layerValue(0, "future")).isEqualTo(3.0);
    }

    @Test
    void carriesTheArraysDl4jMovesWithoutAGradientAndThePretrainedLayer() {
        GradientUpdate u = GradientUpdate.of("s", Fixtures.withCenters("1", 4, 9).asPretrainingOf("out"), 9);
        GradientUpdate copy = new GradientUpdate();
        copy.decode(u.encode());

        assertThat(copy.pretrainedLayer()).hasValue("out");
        assertThat(copy.moved()).containsExactly(new GradientUpdate.MovedParam("out", "cL", 40, 3.0, 0.06, 0.02));
        assertThat(copy.layerFields()).doesNotContain("cL");
    }

    @Test
    void aStepOfTheWholeNetworkHasNoPretrainedLayerAndNoMovedArrays() {
        GradientUpdate copy = new GradientUpdate();
        copy.decode(GradientUpdate.of("s", Fixtures.snapshot("0", 1, 2, "a"), 2).encode());

        assertThat(copy.pretrainedLayer()).isEmpty();
        assertThat(copy.moved()).isEmpty();
    }

    @Test
    void readsAnUpdateWrittenBeforeMovedArraysAndPretrainingWereCarried() {
        byte[] bytes = RecordCodec.encode(RecordCodec.UPDATE, RecordCodecTest::oldUpdateBody);
        GradientUpdate u = new GradientUpdate();
        u.decode(bytes);

        assertThat(u.layerNames()).containsExactly("a");
        assertThat(u.layerValue(0, GradientUpdate.GRADIENT_NORM)).isEqualTo(0.5);
        assertThat(u.pretrainedLayer()).isEmpty();
        assertThat(u.moved()).isEmpty();
    }

    @Test
    void rejectsAMovedArrayOfALayerTheRecordDoesNotHold() {
        byte[] bytes = RecordCodec.encode(RecordCodec.UPDATE, out -> {
            oldUpdateBody(out);
            out.writeUTF("");
            out.writeInt(1);
            out.writeInt(1);        // layer index: the record holds only layer 0
            out.writeUTF("cL");
            out.writeLong(4);
            out.writeDouble(1);
            out.writeDouble(1);
            out.writeDouble(1);
        });

        assertThatThrownBy(() -> new GradientUpdate().decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("corrupt GradientMonitor record: moved parameter layer index 1 out of range [0, 1)");
    }

    @Test
    void rejectsAMovedArrayCountLargerThanTheBytesLeftAndANegativeSize() {
        byte[] many = RecordCodec.encode(RecordCodec.UPDATE, out -> {
            oldUpdateBody(out);
            out.writeUTF("");
            out.writeInt(1_000);
        });
        byte[] negative = RecordCodec.encode(RecordCodec.UPDATE, out -> {
            oldUpdateBody(out);
            out.writeUTF("");
            out.writeInt(1);
            out.writeInt(0);
            out.writeUTF("cL");
            out.writeLong(-4);
            out.writeDouble(1);
            out.writeDouble(1);
            out.writeDouble(1);
        });

        assertThatThrownBy(() -> new GradientUpdate().decode(many))
                .hasMessage("corrupt GradientMonitor record: moved parameter count 1000 needs more bytes than the 0 "
                        + "left");
        assertThatThrownBy(() -> new GradientUpdate().decode(negative))
                .hasMessage("corrupt GradientMonitor record: moved parameter size must be >= 0 (got: -4)");
    }

    @Test
    void carriesTheSummaryOfTheLayersALayerFilterLeftOut() {
        GradientUpdate copy = new GradientUpdate();
        copy.decode(GradientUpdate.of("s", Fixtures.filtered("0", 3, 9, "out"), 9).encode());

        assertThat(copy.layerNames()).containsExactly("out");
        assertThat(copy.unwatched()).hasValue(
                new UnwatchedLayers("layers=[out]", 12, 33_500_000, 0.0123, 1, 2));
    }

    @Test
    void anUnfilteredSnapshotHasNoUnwatchedSummary() {
        GradientUpdate copy = new GradientUpdate();
        copy.decode(GradientUpdate.of("s", Fixtures.snapshot("0", 1, 2, "a"), 2).encode());

        assertThat(copy.unwatched()).isEmpty();
    }

    @Test
    void cutsALongFilterDescriptionToTheLengthOfAStoredText() {
        String huge = "layers=[" + "x".repeat(3 * StoredText.MAX_CHARS) + "]";
        GradientSnapshot s = Fixtures.filtered("0", 1, 2, "a");
        GradientSnapshot hugeFilter = new GradientSnapshot(s.workerId(), s.iteration(), s.epoch(), s.score(),
                s.batchSize(), s.globalGradientNorm(), s.timestampMillis(), s.layers(), s.reaction(), s.graph(),
                s.pretrainedLayer(), Optional.of(new UnwatchedLayers(huge, 1, 2, 0.5, 0, 0)));
        GradientUpdate u = GradientUpdate.of("s", hugeFilter, 2);
        GradientUpdate copy = new GradientUpdate();
        copy.decode(u.encode());

        assertThat(copy.unwatched().orElseThrow().filter()).hasSize(StoredText.MAX_CHARS + 1).endsWith("\u2026");
        assertThat(copy.unwatched()).isEqualTo(u.unwatched());
    }

    @Test
    void readsAnUpdateWrittenBeforeTheUnwatchedSummaryWasCarried() {
        byte[] bytes = RecordCodec.encode(RecordCodec.UPDATE, out -> {
            oldUpdateBody(out);
            out.writeUTF("out");    // pretrained layer
            out.writeInt(0);        // no moved arrays, and nothing after them
        });
        GradientUpdate u = new GradientUpdate();
        u.decode(bytes);

        assertThat(u.layerNames()).containsExactly("a");
        assertThat(u.pretrainedLayer()).hasValue("out");
        assertThat(u.unwatched()).isEmpty();
    }

    @Test
    void rejectsAForgedUnwatchedSummary() {
        byte[] badFlag = RecordCodec.encode(RecordCodec.UPDATE, out -> {
            oldUpdateBody(out);
            out.writeUTF("");
            out.writeInt(0);
            out.writeByte(7);
        });
        byte[] negativeLayers = unwatchedBody(-1, 5, 0, 0);
        byte[] negativeParams = unwatchedBody(3, -5, 0, 0);
        byte[] negativeNaN = unwatchedBody(3, 5, -1, 0);
        byte[] negativeInf = unwatchedBody(3, 5, 0, -2);
        byte[] cut = RecordCodec.encode(RecordCodec.UPDATE, out -> {
            oldUpdateBody(out);
            out.writeUTF("");
            out.writeInt(0);
            out.writeBoolean(true);
            out.writeUTF("layers=[a]");
            out.writeInt(3);        // the rest of the summary is missing
        });

        assertThatThrownBy(() -> new GradientUpdate().decode(badFlag))
                .hasMessage("corrupt GradientMonitor record: unwatched-layers flag 7 (expected 0 or 1)");
        assertThatThrownBy(() -> new GradientUpdate().decode(negativeLayers))
                .hasMessage("corrupt GradientMonitor record: unwatched layer count must be >= 0 (got: -1)");
        assertThatThrownBy(() -> new GradientUpdate().decode(negativeParams))
                .hasMessage("corrupt GradientMonitor record: unwatched parameter count must be >= 0 (got: -5)");
        assertThatThrownBy(() -> new GradientUpdate().decode(negativeNaN))
                .hasMessage("corrupt GradientMonitor record: unwatched NaN count must be >= 0 (got: -1)");
        assertThatThrownBy(() -> new GradientUpdate().decode(negativeInf))
                .hasMessage("corrupt GradientMonitor record: unwatched Inf count must be >= 0 (got: -2)");
        assertThatThrownBy(() -> new GradientUpdate().decode(cut))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("corrupt GradientMonitor record: payload ends early");
    }

    /** A current update of layer {@code a} whose unwatched summary holds these counts. */
    private static byte[] unwatchedBody(int layers, long params, long nan, long inf) {
        return RecordCodec.encode(RecordCodec.UPDATE, out -> {
            oldUpdateBody(out);
            out.writeUTF("");
            out.writeInt(0);
            out.writeBoolean(true);
            out.writeUTF("layers=[a]");
            out.writeInt(layers);
            out.writeLong(params);
            out.writeDouble(0.25);
            out.writeLong(nan);
            out.writeLong(inf);
        });
    }

    /** An update as written before moved arrays and pretraining: one layer {@code a}, gradient norm 0.5. */
    private static void oldUpdateBody(DataOutputStream out) throws IOException {
        out.writeUTF("s");
        out.writeUTF("0");
        out.writeLong(1);
        out.writeLong(3);       // iteration
        out.writeInt(0);        // epoch
        out.writeInt(8);        // batch
        out.writeInt(0);        // model fields
        out.writeInt(1);
        out.writeUTF(GradientUpdate.GRADIENT_NORM);
        out.writeInt(1);
        out.writeUTF("a");
        out.writeDouble(0.5);
    }

    @ParameterizedTest
    @MethodSource("records")
    void rejectsEveryTruncation(GradientMonitorRecord record) {
        byte[] bytes = record.encode();
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> blank(record).get().decode(cut))
                    .as("truncated to %d of %d bytes", length, bytes.length)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("corrupt GradientMonitor record: ");
            assertThatThrownBy(() -> blank(record).get().decode(new ByteArrayInputStream(cut)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("corrupt GradientMonitor record: ");
        }
    }

    @ParameterizedTest
    @MethodSource("records")
    void rejectsEveryFlippedByte(GradientMonitorRecord record) {
        byte[] bytes = record.encode();
        for (int i = 0; i < bytes.length; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] bad = bytes.clone();
                bad[i] ^= (byte) mask;
                assertThatThrownBy(() -> blank(record).get().decode(bad))
                        .as("byte %d xor %x", i, mask)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("corrupt GradientMonitor record: ");
            }
        }
    }

    @Test
    void staticInfoCarriesWhatDl4jDoesToEachLayersGradient() {
        GradientStaticInfo info = GradientStaticInfo.of("s", Fixtures.handled(), 5);
        GradientStaticInfo copy = new GradientStaticInfo();
        copy.decode(info.encode());

        assertThat(copy.layers()).extracting(GradientStaticInfo.LayerInfo::dl4jHandling).containsExactly(
                Fixtures.CLIPPED_AND_L2, "no DL4J gradient normalization or regularization: the update follows from "
                        + "the measured gradient and the updater alone");
    }

    @Test
    void readsAStaticInfoWrittenBeforeLayersCarriedTheirHandling() {
        byte[] bytes = RecordCodec.encode(RecordCodec.STATIC_INFO, out -> {
            out.writeUTF("s");
            out.writeUTF("0");
            out.writeLong(1);
            out.writeInt(1);
            out.writeUTF("a");
            out.writeUTF("DenseLayer");
            out.writeInt(0);
        });
        GradientStaticInfo info = new GradientStaticInfo();
        info.decode(bytes);

        assertThat(info.layers()).containsExactly(new GradientStaticInfo.LayerInfo("a", "DenseLayer", 0, ""));
    }

    @Test
    void rejectsAHugeLayerCountBeforeAllocating() {
        byte[] bytes = RecordCodec.encode(RecordCodec.STATIC_INFO, out -> {   // a valid frame and checksum
            out.writeUTF("s");
            out.writeUTF("0");
            out.writeLong(1);
            out.writeInt(Integer.MAX_VALUE - 1);
        });

        assertThatThrownBy(() -> new GradientStaticInfo().decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("corrupt GradientMonitor record: layer count 2147483646 out of range [0, 100000]");
    }

    @Test
    void rejectsACountLargerThanTheBytesLeft() {
        byte[] bytes = RecordCodec.encode(RecordCodec.STATIC_INFO, out -> {
            out.writeUTF("s");
            out.writeUTF("0");
            out.writeLong(1);
            out.writeInt(50_000);
        });

        assertThatThrownBy(() -> new GradientStaticInfo().decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer count 50000 needs more bytes than the 0 left");
    }

    /** Another writer may store strings of up to 65,535 characters; the reader cuts them as the live records are. */
    @Test
    void cutsADecodedStringToTheLengthOfALiveOne() {
        String huge = "m".repeat(60_000);
        byte[] bytes = RecordCodec.encode(RecordCodec.ALERT, out -> {
            out.writeUTF("s");
            out.writeUTF("0");
            out.writeLong(1);
            out.writeUTF("EXPLODING");
            out.writeUTF("WARNING");
            out.writeUTF(huge);     // layer
            out.writeUTF("W");
            out.writeLong(3);
            out.writeDouble(1);
            out.writeDouble(0);
            out.writeUTF(huge);     // message
            out.writeUTF("hint");
        });

        GradientAlertRecord read = new GradientAlertRecord();
        read.decode(bytes);

        assertThat(read.message()).isEqualTo("m".repeat(16_000) + "\u2026");
        assertThat(read.layer()).isEqualTo("m".repeat(16_000) + "\u2026");
        assertThat(read.hint()).isEqualTo("hint");
        assertThat(read.iteration()).isEqualTo(3);
    }

    @Test
    void rejectsARecordOfAnotherKind() {
        byte[] alert = new GradientAlertRecord("s", Fixtures.vanishing("0", 1, "a"), 1).encode();

        assertThatThrownBy(() -> new GradientUpdate().decode(alert))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("corrupt GradientMonitor record: record kind 3 where kind 2 was expected");
    }

    @Test
    void rejectsTrailingBytesAndNull() {
        byte[] bytes = new GradientAlertRecord("s", Fixtures.vanishing("0", 1, "a"), 1).encode();

        assertThatThrownBy(() -> new GradientAlertRecord().decode(concat(bytes, new byte[] {0})))
                .hasMessage("corrupt GradientMonitor record: 1 unexpected trailing bytes");
        assertThatThrownBy(() -> new GradientAlertRecord().decode((byte[]) null))
                .hasMessage("corrupt GradientMonitor record: no bytes (null)");
    }

    @ParameterizedTest
    @MethodSource("records")
    void readsVersion1FramesFromBytesAndBuffersButRefusesThemInAStream(GradientMonitorRecord record) {
        byte[] v2 = record.encode();
        byte[] payload = Arrays.copyOfRange(v2, 7, v2.length - 4);
        byte[] v1 = concat(new byte[] {'G', 1, record.kind()}, payload);
        CRC32 crc = new CRC32();
        crc.update(v1);
        v1 = concat(v1, ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        byte[] old = v1;

        GradientMonitorRecord fromBytes = blank(record).get();
        fromBytes.decode(old);
        GradientMonitorRecord fromBuffer = blank(record).get();
        fromBuffer.decode(ByteBuffer.wrap(old));

        assertThat(fromBytes).usingRecursiveComparison().isEqualTo(record);
        assertThat(fromBuffer).usingRecursiveComparison().isEqualTo(record);
        assertThatThrownBy(() -> blank(record).get().decode(new ByteArrayInputStream(old)))
                .hasMessageContaining("a version 1 record has no length and cannot be read from a stream");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
