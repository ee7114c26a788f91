package dev.continuum.proto.telemetry;

import dev.continuum.proto.v1.LatencyHistogram;
import java.util.Arrays;

/**
 * The latency histogram scheme of {@code telemetry.proto}: fixed log-scale buckets, eight per
 * doubling, so histograms from any device and any interval merge by adding counts bucket by bucket
 * and a quantile read from the merged counts is within one bucket (about 9%) of the true value.
 *
 * <p>Bucket 0 holds values below 1 µs; bucket {@code i >= 1} holds {@code [2^((i-1)/8), 2^(i/8))} µs.
 * Values beyond the last bucket (2^40 µs, about 12.7 days) are counted in it. Not thread-safe.
 */
public final class MergeableHistogram {
    /** Buckets per doubling of the value. */
    public static final int SUB_BUCKETS = 8;
    /** Number of buckets: bucket 0 plus eight per doubling up to 2^40 µs. */
    public static final int BUCKETS = 1 + SUB_BUCKETS * 40;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long sumMicros;

    /** The bucket a value falls in. */
    public static int bucketOf(long micros) {
        if (micros < 1) {
            return 0;
        }
        int octave = 63 - Long.numberOfLeadingZeros(micros);
        double fraction = micros / (double) (1L << octave); // in [1, 2)
        int sub = Math.min(SUB_BUCKETS - 1, (int) Math.floor(SUB_BUCKETS * Math.log(fraction) / Math.log(2)));
        return Math.min(BUCKETS - 1, 1 + octave * SUB_BUCKETS + sub);
    }

    /** Inclusive lower bound of a bucket, microseconds. */
    public static double lowerBoundMicros(int bucket) {
        return bucket == 0 ? 0 : Math.pow(2, (bucket - 1) / (double) SUB_BUCKETS);
    }

    /** Exclusive upper bound of a bucket, microseconds. */
    public static double upperBoundMicros(int bucket) {
        return bucket == 0 ? 1 : Math.pow(2, bucket / (double) SUB_BUCKETS);
    }

    public void record(long micros) {
        counts[bucketOf(micros)]++;
        count++;
        sumMicros += Math.max(0, micros);
    }

    /** Adds every count of a published histogram; rejects bucket indexes outside the scheme. */
    public void add(LatencyHistogram h) {
        int first = h.getFirstBucket();
        if (first < 0 || (long) first + h.getCountsCount() > BUCKETS) {
            throw new IllegalArgumentException("histogram buckets " + first + ".." + (first + h.getCountsCount() - 1)
                    + " are outside 0.." + (BUCKETS - 1));
        }
        for (int i = 0; i < h.getCountsCount(); i++) {
            long c = h.getCounts(i);
            if (c < 0) {
                throw new IllegalArgumentException("histogram bucket " + (first + i) + " has a count above 2^63");
            }
            counts[first + i] += c;
            count += c;
        }
        sumMicros += h.getSumMicros();
    }

    public void add(MergeableHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sumMicros += other.sumMicros;
    }

    public long count() {
        return count;
    }

    public long sumMicros() {
        return sumMicros;
    }

    /**
     * The value at quantile {@code q} (0..1): the geometric middle of the bucket holding the
     * {@code ceil(q * count)}-th smallest value; 0 when empty.
     */
    public double quantileMicros(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be within 0..1, got " + q);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i == 0 ? 0.5 : Math.sqrt(lowerBoundMicros(i) * upperBoundMicros(i));
            }
        }
        throw new IllegalStateException("histogram count " + count + " does not match its buckets");
    }

    /** The compact wire form: only the run of buckets from the first to the last non-empty one. */
    public LatencyHistogram toProto() {
        int first = 0;
        while (first < BUCKETS && counts[first] == 0) {
            first++;
        }
        LatencyHistogram.Builder b = LatencyHistogram.newBuilder().setSumMicros(sumMicros);
        if (first == BUCKETS) {
            return b.build();
        }
        int last = BUCKETS - 1;
        while (counts[last] == 0) {
            last--;
        }
        b.setFirstBucket(first);
        for (int i = first; i <= last; i++) {
            b.addCounts(counts[i]);
        }
        return b.build();
    }

    public static MergeableHistogram of(LatencyHistogram h) {
        MergeableHistogram m = new MergeableHistogram();
        m.add(h);
        return m;
    }

    public void clear() {
        Arrays.fill(counts, 0);
        count = 0;
        sumMicros = 0;
    }
}
