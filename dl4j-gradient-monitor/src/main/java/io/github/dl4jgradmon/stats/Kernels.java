package io.github.dl4jgradmon.stats;

/**
 * The inner loops: one fused pass over a range of a flat buffer. Data is copied block by block into a small heap scratch
 * array (a memcpy that stays in L1), then reduced with several independent accumulators so the CPU can overlap them.
 * Float blocks are summed in float and folded into double accumulators after each block.
 *
 * <p>Output slots for a gradient pass, {@code out[o .. o+4]}: sum g^2, sum |g|, max |g|, zero count, sum p^2.
 * NaN and Inf are not counted here: a non-finite sum of squares tells that a slower exact pass is needed.
 */
final class Kernels {

    static final int BLOCK = 1024;
    static final int GRAD_SLOTS = 5;

    private Kernels() {
    }

    static void gradient(FlatBuffer g, FlatBuffer p, int from, int len, Scratch s, double[] out, int o) {
        double sq = 0;
        double abs = 0;
        double max = 0;
        long zeros = 0;
        double psq = 0;
        boolean isFloat = g.isFloat() && p.isFloat();
        for (int done = 0; done < len; done += BLOCK) {
            int n = Math.min(BLOCK, len - done);
            if (isFloat) {
                g.copyTo(from + done, s.f1, n);
                p.copyTo(from + done, s.f2, n);
                float[] x = s.f1;
                float[] y = s.f2;
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                float m0 = 0, m1 = 0, m2 = 0, m3 = 0;
                float q0 = 0, q1 = 0, q2 = 0, q3 = 0;
                int z = 0;
                int i = 0;
                for (; i + 4 <= n; i += 4) {
                    float x0 = x[i], x1 = x[i + 1], x2 = x[i + 2], x3 = x[i + 3];
                    s0 += x0 * x0;
                    s1 += x1 * x1;
                    s2 += x2 * x2;
                    s3 += x3 * x3;
                    float b0 = Math.abs(x0), b1 = Math.abs(x1), b2 = Math.abs(x2), b3 = Math.abs(x3);
                    a0 += b0;
                    a1 += b1;
                    a2 += b2;
                    a3 += b3;
                    m0 = b0 > m0 ? b0 : m0;
                    m1 = b1 > m1 ? b1 : m1;
                    m2 = b2 > m2 ? b2 : m2;
                    m3 = b3 > m3 ? b3 : m3;
                    z += (x0 == 0f ? 1 : 0) + (x1 == 0f ? 1 : 0) + (x2 == 0f ? 1 : 0) + (x3 == 0f ? 1 : 0);
                    float y0 = y[i], y1 = y[i + 1], y2 = y[i + 2], y3 = y[i + 3];
                    q0 += y0 * y0;
                    q1 += y1 * y1;
                    q2 += y2 * y2;
                    q3 += y3 * y3;
                }
                for (; i < n; i++) {
                    float x0 = x[i];
                    s0 += x0 * x0;
                    float b0 = Math.abs(x0);
                    a0 += b0;
                    m0 = b0 > m0 ? b0 : m0;
                    z += x0 == 0f ? 1 : 0;
                    q0 += y[i] * y[i];
                }
                sq += (double) s0 + s1 + s2 + s3;
                abs += (double) a0 + a1 + a2 + a3;
                max = Math.max(max, Math.max(Math.max(m0, m1), Math.max(m2, m3)));
                zeros += z;
                psq += (double) q0 + q1 + q2 + q3;
            } else {
                double[] x = s.d1;
                double[] y = s.d2;
                copyAsDouble(g, from + done, n, x, s);
                copyAsDouble(p, from + done, n, y, s);
                double s0 = 0, s1 = 0, a0 = 0, a1 = 0, m0 = 0, m1 = 0, q0 = 0, q1 = 0;
                int z = 0;
                int i = 0;
                for (; i + 2 <= n; i += 2) {
                    double x0 = x[i], x1 = x[i + 1];
                    s0 += x0 * x0;
                    s1 += x1 * x1;
                    double b0 = Math.abs(x0), b1 = Math.abs(x1);
                    a0 += b0;
                    a1 += b1;
                    m0 = b0 > m0 ? b0 : m0;
                    m1 = b1 > m1 ? b1 : m1;
                    z += (x0 == 0d ? 1 : 0) + (x1 == 0d ? 1 : 0);
                    q0 += y[i] * y[i];
                    q1 += y[i + 1] * y[i + 1];
                }
                for (; i < n; i++) {
                    double x0 = x[i];
                    s0 += x0 * x0;
                    double b0 = Math.abs(x0);
                    a0 += b0;
                    m0 = b0 > m0 ? b0 : m0;
                    z += x0 == 0d ? 1 : 0;
                    q0 += y[i] * y[i];
                }
                sq += s0 + s1;
                abs += a0 + a1;
                max = Math.max(max, Math.max(m0, m1));
                zeros += z;
                psq += q0 + q1;
            }
        }
        out[o] = sq;
        out[o + 1] = abs;
        out[o + 2] = max;
        out[o + 3] = zeros;
        out[o + 4] = psq;
    }

    /** Sum of squares of a range. */
    static double sumOfSquares(FlatBuffer u, int from, int len, Scratch s) {
        double sq = 0;
        for (int done = 0; done < len; done += BLOCK) {
            int n = Math.min(BLOCK, len - done);
            if (u.isFloat()) {
                u.copyTo(from + done, s.f1, n);
                float[] x = s.f1;
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                int i = 0;
                for (; i + 8 <= n; i += 8) {
                    s0 += x[i] * x[i];
                    s1 += x[i + 1] * x[i + 1];
                    s2 += x[i + 2] * x[i + 2];
                    s3 += x[i + 3] * x[i + 3];
                    s4 += x[i + 4] * x[i + 4];
                    s5 += x[i + 5] * x[i + 5];
                    s6 += x[i + 6] * x[i + 6];
                    s7 += x[i + 7] * x[i + 7];
                }
                for (; i < n; i++) {
                    s0 += x[i] * x[i];
                }
                sq += (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
            } else {
                u.copyTo(from + done, s.d1, n);
                double[] x = s.d1;
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int i = 0;
                for (; i + 4 <= n; i += 4) {
                    s0 += x[i] * x[i];
                    s1 += x[i + 1] * x[i + 1];
                    s2 += x[i + 2] * x[i + 2];
                    s3 += x[i + 3] * x[i + 3];
                }
                for (; i < n; i++) {
                    s0 += x[i] * x[i];
                }
                sq += s0 + s1 + s2 + s3;
            }
        }
        return sq;
    }

    /**
     * The exact, slow pass for a range whose fast sum was not finite: counts NaN and Inf and recomputes the sums in
     * double over the finite entries. {@code out[o .. o+5]}: sum g^2 (finite entries), sum |g|, max |g|, zeros, NaN
     * count, Inf count.
     */
    static void exact(FlatBuffer g, int from, int len, double[] out, int o) {
        double sq = 0;
        double abs = 0;
        double max = 0;
        long zeros = 0;
        long nan = 0;
        long inf = 0;
        for (int i = from; i < from + len; i++) {
            double x = g.get(i);
            if (Double.isNaN(x)) {
                nan++;
            } else if (Double.isInfinite(x)) {
                inf++;
            } else {
                sq += x * x;
                double a = Math.abs(x);
                abs += a;
                max = Math.max(max, a);
                if (x == 0) {
                    zeros++;
                }
            }
        }
        out[o] = sq;
        out[o + 1] = abs;
        out[o + 2] = max;
        out[o + 3] = zeros;
        out[o + 4] = nan;
        out[o + 5] = inf;
    }

    private static void copyAsDouble(FlatBuffer b, int from, int n, double[] dst, Scratch s) {
        if (b.isFloat()) {
            b.copyTo(from, s.f3, n);
            for (int i = 0; i < n; i++) {
                dst[i] = s.f3[i];
            }
        } else {
            b.copyTo(from, dst, n);
        }
    }

    /** Per-thread scratch blocks. */
    static final class Scratch {
        final float[] f1 = new float[BLOCK];
        final float[] f2 = new float[BLOCK];
        final float[] f3 = new float[BLOCK];
        final double[] d1 = new double[BLOCK];
        final double[] d2 = new double[BLOCK];

        private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

        static Scratch get() {
            return LOCAL.get();
        }
    }
}
