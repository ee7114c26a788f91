package dev.continuum.proto.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.continuum.proto.v1.LatencyHistogram;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MergeableHistogramTest {

    @Test
    void bucketsDoubleEveryEightAndHoldTheirBounds() {
        assertThat(MergeableHistogram.bucketOf(0)).isZero();
        assertThat(MergeableHistogram.bucketOf(-5)).isZero();
        assertThat(MergeableHistogram.bucketOf(1)).isEqualTo(1);
        assertThat(MergeableHistogram.bucketOf(2)).isEqualTo(9);
        assertThat(MergeableHistogram.bucketOf(1024)).isEqualTo(81);
        for (long v : new long[] {1, 3, 7, 100, 999, 123_456, 9_999_999_999L}) {
            int b = MergeableHistogram.bucketOf(v);
            assertThat((double) v).as("value %d in bucket %d", v, b)
                    .isGreaterThanOrEqualTo(MergeableHistogram.lowerBoundMicros(b) - 1e-9)
                    .isLessThan(MergeableHistogram.upperBoundMicros(b));
        }
        assertThat(MergeableHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(MergeableHistogram.BUCKETS - 1);
    }

    @Test
    void quantilesOfMergedHistogramsMatchTheQuantilesOfAllValuesWithinOneBucket() {
        Random random = new Random(7);
        long[] all = new long[30_000];
        MergeableHistogram merged = new MergeableHistogram();
        for (int part = 0; part < 3; part++) {
            MergeableHistogram h = new MergeableHistogram();
            for (int i = 0; i < 10_000; i++) {
                long v = (long) (Math.exp(random.nextGaussian() + 8 + part)); // a different spread per device
                all[part * 10_000 + i] = v;
                h.record(v);
            }
            merged.add(h.toProto()); // through the wire form
        }
        Arrays.sort(all);
        assertThat(merged.count()).isEqualTo(all.length);
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            double exact = all[(int) Math.ceil(q * all.length) - 1];
            assertThat(merged.quantileMicros(q)).as("p%s", q * 100).isCloseTo(exact, within(exact * 0.09));
        }
        assertThat(merged.sumMicros()).isEqualTo(Arrays.stream(all).sum());
    }

    @Test
    void wireFormKeepsOnlyTheNonEmptyRun() {
        MergeableHistogram h = new MergeableHistogram();
        assertThat(h.toProto().getCountsCount()).isZero();
        assertThat(h.quantileMicros(0.99)).isZero();
        h.record(1000);
        h.record(1000);
        h.record(4000);
        LatencyHistogram p = h.toProto();
        assertThat(p.getFirstBucket()).isEqualTo(MergeableHistogram.bucketOf(1000));
        assertThat(p.getCountsCount()).isEqualTo(MergeableHistogram.bucketOf(4000) - MergeableHistogram.bucketOf(1000) + 1);
        assertThat(MergeableHistogram.of(p).count()).isEqualTo(3);
    }

    @Test
    void histogramWithBucketsOutsideTheSchemeIsRefusedNamingThem() {
        LatencyHistogram bad = LatencyHistogram.newBuilder().setFirstBucket(MergeableHistogram.BUCKETS - 1)
                .addCounts(1).addCounts(1).build();
        assertThatThrownBy(() -> MergeableHistogram.of(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 0..320");
        assertThatThrownBy(() -> new MergeableHistogram().quantileMicros(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }
}
