package dev.wgcp.ipam.domain;

import java.util.ArrayList;
import java.util.List;

/** Host indexes {@code first..last} of a pool, both included. */
public record IndexRange(long first, long last) {

    public IndexRange {
        if (first > last) {
            throw new IllegalArgumentException("range " + first + ".." + last + " is empty");
        }
    }

    public static IndexRange of(long index) {
        return new IndexRange(index, index);
    }

    /** How many indexes; saturates at Long.MAX_VALUE. */
    public long size() {
        long size = last - first + 1;
        return size <= 0 ? Long.MAX_VALUE : size;
    }

    public boolean contains(long index) {
        return index >= first && index <= last;
    }

    public boolean contains(IndexRange other) {
        return other.first >= first && other.last <= last;
    }

    public boolean overlaps(IndexRange other) {
        return other.first <= last && other.last >= first;
    }

    /** The parts of this range outside {@code cut} (none, one or two ranges). */
    public List<IndexRange> minus(IndexRange cut) {
        List<IndexRange> out = new ArrayList<>(2);
        if (!overlaps(cut)) {
            out.add(this);
            return out;
        }
        if (cut.first > first) {
            out.add(new IndexRange(first, cut.first - 1));
        }
        if (cut.last < last) {
            out.add(new IndexRange(cut.last + 1, last));
        }
        return out;
    }
}
