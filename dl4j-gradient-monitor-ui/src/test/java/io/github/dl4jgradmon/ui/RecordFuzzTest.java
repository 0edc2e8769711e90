package io.github.dl4jgradmon.ui;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Issue 12 item 8: decoding never trusts a length field. Crafted and fuzzed records (random, truncated, mutated, and
 * mutated with a recomputed checksum so that the parser itself sees them) give only the documented
 * {@code IllegalArgumentException("corrupt GradientMonitor record: ...")}, in bounded time and with allocations bounded
 * by a small multiple of the input's size.
 */
class RecordFuzzTest {

    private static final String PREFIX = "corrupt GradientMonitor record: ";
    private static final ThreadMXBean THREADS =
            (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes a decode may allocate for {@code inputLength} bytes of input (readUTF's 64 KB buffers included). */
    private static long allocationBound(int inputLength) {
        return 64L * inputLength + 1_048_576;
    }

    private static long allocated(Runnable r) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        r.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /** ~2 KB announcing 1,024 layer fields and 100,000 layers: 819 MB of doubles if the counts were trusted. */
    private static byte[] craftedUpdateBody() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF("s");
        out.writeUTF("0");
        out.writeLong(1);      // timestamp
        out.writeLong(1);      // iteration
        out.writeInt(0);       // epoch
        out.writeInt(8);       // batch
        out.writeInt(0);       // model fields
        out.writeInt(1_024);   // layer fields
        for (int f = 0; f < 1_024; f++) {
            out.writeUTF("");
        }
        out.writeInt(100_000); // layers
        return bytes.toByteArray();
    }

    /** The crafted body in the frame this version writes, with a valid checksum: only the counts lie. */
    private static byte[] framed(byte kind, byte[] body) {
        return RecordCodec.encode(kind, out -> out.write(body));
    }

    @Test
    void aCraftedStreamCannotMakeTheDecoderAllocateWhatItAnnounces() throws IOException {
        byte[] body = craftedUpdateBody();
        // the same lie with and without this version's frame: a stream of the old unframed layout too
        byte[] unframed = concat(new byte[] {'G', 1, RecordCodec.UPDATE}, body);
        for (byte[] input : List.of(framed(RecordCodec.UPDATE, body), unframed)) {
            assertThat(input.length).isLessThan(2_200);
            long bytes = allocated(() -> assertThatThrownBy(
                    () -> new GradientUpdate().decode(new ByteArrayInputStream(input)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(PREFIX));

            assertThat(bytes).as("bytes allocated decoding %d bytes", input.length)
                    .isLessThan(allocationBound(input.length));
        }
    }

    @Test
    void aStreamAnnouncingAHugeRecordIsReadOnlyAsFarAsItGoes() {
        byte[] header = {'G', RecordCodec.VERSION, RecordCodec.UPDATE, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        byte[] input = concat(header, new byte[100]);

        long bytes = allocated(() -> assertThatThrownBy(
                () -> new GradientUpdate().decode(new ByteArrayInputStream(input)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(PREFIX));

        assertThat(bytes).isLessThan(allocationBound(input.length));
    }

    static Stream<GradientMonitorRecord> records() {
        String[] many = new String[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = "layer_" + i + (i % 7 == 0 ? Fixtures.SCARY_NAME : "");
        }
        return Stream.of(
                GradientStaticInfo.of("s1", Fixtures.snapshot("0", 3, 1000, many), 1000),
                GradientUpdate.of("s1", Fixtures.snapshot("0", 3, 1000, many), 1001),
                new GradientUpdate("s", "w", 5, 2, 0, 8, Map.of(GradientUpdate.CLIP_SCALE, 0.5), List.of("a", "b"),
                        List.of(Map.of("x", 1.0), Map.of("y", 2.0))),
                new GradientAlertRecord("s1", Fixtures.vanishing("0", 3, "in"), 1002));
    }

    @ParameterizedTest
    @MethodSource("records")
    void thousandsOfRandomTruncatedAndMutatedRecordsGiveOnlyTheDocumentedException(GradientMonitorRecord record) {
        byte[] valid = record.encode();
        Random random = new Random(valid.length * 31L + record.kind());
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {                          // random bytes, some behind a valid header
            byte[] b = new byte[random.nextInt(valid.length * 2 + 1)];
            random.nextBytes(b);
            if (i % 2 == 0 && b.length >= 3) {
                System.arraycopy(valid, 0, b, 0, 3);
            }
            inputs.add(b);
        }
        for (int length = 0; length < valid.length; length++) {   // every truncation
            inputs.add(Arrays.copyOf(valid, length));
        }
        for (int i = 0; i < 3_000; i++) {                          // mutations; half re-checksummed
            byte[] m = mutate(valid, random);
            if (i % 2 == 1) {
                restamp(m, i % 4 == 1);
            }
            inputs.add(m);
        }
        byte[] blankKind = record.encode();

        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (byte[] input : inputs) {
                decodeEveryWay(record, input, blankKind.length);
            }
        });
        assertThat(inputs).hasSizeGreaterThan(4_000);
    }

    /** Decodes from bytes, a buffer and a stream: success or the documented exception, with bounded allocation. */
    private static void decodeEveryWay(GradientMonitorRecord record, byte[] input, int validLength) {
        List<Consumer<GradientMonitorRecord>> ways = List.of(
                r -> r.decode(input.clone()),
                r -> r.decode(ByteBuffer.wrap(input.clone())),
                r -> r.decode(new ByteArrayInputStream(input.clone())));
        for (Consumer<GradientMonitorRecord> way : ways) {
            long bytes = allocated(() -> {
                try {
                    way.accept(RecordCodecTest.blank(record).get());
                } catch (IllegalArgumentException e) {
                    assertThat(e).hasMessageStartingWith(PREFIX);
                }
            });
            assertThat(bytes).as("allocation decoding %d bytes (valid record: %d)", input.length, validLength)
                    .isLessThan(allocationBound(input.length));
        }
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(4)) {
                case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                case 2 -> {                                        // a count or length set to an extreme
                    int at = random.nextInt(Math.max(1, b.length - 4));
                    int v = switch (random.nextInt(4)) {
                        case 0 -> Integer.MAX_VALUE;
                        case 1 -> -1;
                        case 2 -> 0xffff;
                        default -> random.nextInt(200_000);
                    };
                    ByteBuffer.wrap(b, at, Math.min(4, b.length - at)).putInt(v);
                }
                default -> {                                       // a slice removed or duplicated
                    int from = random.nextInt(b.length);
                    int to = from + random.nextInt(b.length - from);
                    byte[] slice = Arrays.copyOfRange(b, from, to);
                    b = random.nextBoolean()
                            ? concat(Arrays.copyOf(b, from), Arrays.copyOfRange(b, to, b.length))
                            : concat(concat(Arrays.copyOf(b, to), slice), Arrays.copyOfRange(b, to, b.length));
                }
            }
            if (b.length < 12) {
                return b;
            }
        }
        return b;
    }

    /** Recomputes the trailing CRC-32 (and optionally the payload length) so that the mutation reaches the parser. */
    private static void restamp(byte[] b, boolean fixLength) {
        if (b.length < 11) {
            return;
        }
        if (fixLength) {
            ByteBuffer.wrap(b, 3, 4).putInt(b.length - 11);
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) crc.getValue());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
