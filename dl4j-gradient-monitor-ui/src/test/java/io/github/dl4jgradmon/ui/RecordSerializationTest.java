package io.github.dl4jgradmon.ui;

import com.sun.management.ThreadMXBean;
import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Java serialization of the records, the form dl4j-spark ships them in from the executors to the driver (and DL4J's
 * SQLite storage keeps them in): every length a stream claims is bounded by the bytes it really holds, and names and
 * values always agree in number.
 */
class RecordSerializationTest {

    private static final ThreadMXBean THREADS =
            (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static GradientUpdate threeLayerUpdate() {
        List<Map<String, Double>> values = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(GradientUpdate.GRADIENT_NORM, 0.5 + l);
            m.put(GradientUpdate.PARAM_NORM, 10.0 * (l + 1));
            values.add(m);
        }
        return new GradientUpdate("session", "exec-1-p0", 1_000, 42, 1, 16,
                Map.of(GradientUpdate.SCORE, 0.25), List.of("dense0", "dense1", "out"), values);
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    private static int arrayLength(GradientUpdate u, String field) throws ReflectiveOperationException {
        Field f = GradientUpdate.class.getDeclaredField(field);
        f.setAccessible(true);
        return Array.getLength(f.get(u));
    }

    @Test
    void everyRecordSurvivesJavaSerializationFieldForField() throws Exception {
        GradientUpdate u = (GradientUpdate) deserialize(serialize(threeLayerUpdate()));
        assertThat(u.getSessionID()).isEqualTo("session");
        assertThat(u.getWorkerID()).isEqualTo("exec-1-p0");
        assertThat(u.getTimeStamp()).isEqualTo(1_000);
        assertThat(u.iteration()).isEqualTo(42);
        assertThat(u.epoch()).isEqualTo(1);
        assertThat(u.batchSize()).isEqualTo(16);
        assertThat(u.score()).isEqualTo(0.25);
        assertThat(u.layerNames()).containsExactly("dense0", "dense1", "out");
        assertThat(u.layerValue(2, GradientUpdate.GRADIENT_NORM)).isEqualTo(2.5);
        assertThat(u.layerValue(1, GradientUpdate.PARAM_NORM)).isEqualTo(20.0);

        GradientAlert alert = new GradientAlert(AlertType.EXPLODING, Severity.CRITICAL, "w", 7, "dense0",
                Optional.of("W"), 1e4, 1e3, "norm 1e4 above 1e3", "lower the learning rate");
        GradientAlertRecord a = (GradientAlertRecord) deserialize(serialize(new GradientAlertRecord("s", alert, 9)));
        assertThat(List.of(a.alertType(), a.severity(), a.layer(), a.param(), a.message(), a.hint(), a.getWorkerID()))
                .containsExactly("EXPLODING", "CRITICAL", "dense0", "W", "norm 1e4 above 1e3",
                        "lower the learning rate", "w");
        assertThat(a.iteration()).isEqualTo(7);
        assertThat(a.value()).isEqualTo(1e4);
        assertThat(a.threshold()).isEqualTo(1e3);

        GradientStaticInfo info = (GradientStaticInfo) deserialize(serialize(new GradientStaticInfo("s", "w", 3,
                List.of(new GradientStaticInfo.LayerInfo("conv", "ConvolutionLayer", 0)))));
        assertThat(info.layers()).containsExactly(new GradientStaticInfo.LayerInfo("conv", "ConvolutionLayer", 0));
    }

    /**
     * Every 4-byte window of a serialized record (about 600 bytes) replaced by a claim of 2^30 - 16: wherever that is
     * read as a length (an array's, the frame's), the reader must refuse it, not allocate gigabytes on the driver.
     */
    @Test
    void aForgedLengthAnywhereInTheStreamIsRefusedWithoutAllocatingByTheClaim() throws Exception {
        byte[] valid = serialize(threeLayerUpdate());
        for (int at = 0; at + 4 <= valid.length; at++) {
            byte[] forged = valid.clone();
            ByteBuffer.wrap(forged, at, 4).putInt((1 << 30) - 16);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            Object read;
            try {
                read = deserialize(forged);
            } catch (IOException | ClassNotFoundException | IllegalArgumentException | ClassCastException
                     | IllegalStateException | ArrayStoreException | NegativeArraySizeException refused) {
                read = null;
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated reading a stream forged at offset %d", at)
                    .isLessThan(64L * valid.length + 2_097_152);
            if (read instanceof GradientUpdate u) {
                assertThat(arrayLength(u, "layerValues")).as("values of a stream forged at offset %d", at)
                        .isEqualTo(arrayLength(u, "layerNames") * arrayLength(u, "layerFields"));
            }
        }
    }

    /** A record that carries 3 layer names, 1 field and 6 values, as a forged executor could send it. */
    @Test
    void aRecordWhoseNamesAndValuesDisagreeInNumberNeverReachesTheDriverSo() throws Exception {
        GradientUpdate forged = threeLayerUpdate();
        Field fields = GradientUpdate.class.getDeclaredField("layerFields");
        fields.setAccessible(true);
        fields.set(forged, new String[] {GradientUpdate.GRADIENT_NORM});
        Object read;
        try {
            read = deserialize(serialize(forged));
        } catch (InvalidObjectException refused) {
            return;
        }
        GradientUpdate u = (GradientUpdate) read;
        assertThat(arrayLength(u, "layerValues"))
                .isEqualTo(arrayLength(u, "layerNames") * arrayLength(u, "layerFields"));
    }

    @Test
    void aSerializedFrameWithCountsThatDisagreeWithItsBytesIsRefusedNamingTheCount() throws Exception {
        byte[] valid = serialize(threeLayerUpdate());
        byte[] frame = threeLayerUpdate().encode();
        int start = indexOf(valid, frame);
        assertThat(start).isPositive();
        // the layer count (3) sits right after the two layer field names; claim 40 and re-sign the frame (claiming 4
        // can fit the bytes of the moved-arrays part that follows the layers, and then fails later, less precisely)
        byte[] names = "paramNorm".getBytes(StandardCharsets.UTF_8);
        int countAt = indexOf(frame, names) + names.length;
        assertThat(ByteBuffer.wrap(frame, countAt, 4).getInt()).isEqualTo(3);
        ByteBuffer.wrap(frame, countAt, 4).putInt(40);
        CRC32 crc = new CRC32();
        crc.update(frame, 0, frame.length - 4);
        ByteBuffer.wrap(frame, frame.length - 4, 4).putInt((int) crc.getValue());
        byte[] forged = valid.clone();
        System.arraycopy(frame, 0, forged, start, frame.length);
        assertThatThrownBy(() -> deserialize(forged)).isInstanceOf(InvalidObjectException.class)
                .hasMessageStartingWith("corrupt GradientMonitor record: layer count 40 needs more bytes");
    }

    @Test
    void aSerializedFrameLongerThanAnyRecordIsRefusedNamingTheLimit() throws Exception {
        byte[] valid = serialize(threeLayerUpdate());
        int frameAt = indexOf(valid, threeLayerUpdate().encode());
        byte[] forged = valid.clone();
        ByteBuffer.wrap(forged, frameAt - 4, 4).putInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> deserialize(forged)).isInstanceOf(InvalidObjectException.class)
                .hasMessage("corrupt GradientMonitor record: serialized frame length 2147483647 out of range [0, "
                        + RecordCodec.MAX_FRAME_BYTES + "]");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
